#!/usr/bin/env bash
# Installs what the build and the tests need on Debian, skipping whatever is already there.
# The .NET 10 SDK is not a Debian package; it must already be on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH; install it first"
dotnet --list-sdks | grep -q '^10\.' || die "dotnet is on PATH but no 10.x SDK is installed"

# libatomic1: the Python package's cross-process atomic add on payload_free_bytes calls into it.
packages=(cmake g++ make python3 python3-pytest python3-pytest-bdd nlohmann-json3-dev libgtest-dev libatomic1)
# chromium: the orchestrator tests open harmony's Cucumber HTML report in a headless browser.
packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
log "dependencies present"
