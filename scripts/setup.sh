#!/usr/bin/env bash
# Installs what the build and the tests need on Debian, skipping whatever is already there.
# The .NET 10 SDK is not a Debian package; it must already be on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH; install it first"
dotnet --list-sdks | grep -q '^10\.' || die "dotnet is on PATH but no 10.x SDK is installed"

# libatomic1: the Python package's cross-process atomic add on payload_free_bytes calls into it.
# python3-yaml and npm: tests/ci reads the GitHub workflows and validates them with @action-validator/cli.
# python3-coverage and gcovr: the coverage gates of scripts/test-all.sh.
# python3-debugpy: the Python worker listens for an IDE debugger with it (docs/debugging.md).
packages=(cmake g++ make python3 python3-pytest python3-pytest-bdd python3-yaml nlohmann-json3-dev libgtest-dev libatomic1
          python3-debugpy
          python3-coverage gcovr)
# chromium: the orchestrator tests open harmony's Cucumber HTML report in a headless browser.
packages+=(chromium)
missing=()
# A Node.js installed outside Debian brings its own npm; Debian's npm package would conflict with it.
command -v npm >/dev/null || missing+=(npm)
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
# The GitHub Actions schema validator, pinned, into the ignored .tools/ folder of the checkout.
validator="$ZB_ROOT/.tools/node/node_modules/.bin/action-validator"
if [[ ! -x $validator ]]; then
    log "installing @action-validator/cli into .tools/node"
    quietly npm install --no-save --no-audit --no-fund --prefix "$ZB_ROOT/.tools/node" @action-validator/cli@0.6.0
fi
log "dependencies present"
