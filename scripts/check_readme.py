#!/usr/bin/env python3
"""Runs every code example of the repository's README files, so they cannot drift from the code.

Fenced blocks tagged ``sh``, ``python``, ``csharp`` or ``cpp`` are run from the repository root
(after scripts/build.sh): shell with ``bash -euo pipefail``, Python with ``src/python`` on the path,
C# as a throw-away console project referencing ``src/ZeroBuffer``, C++ compiled against
``src/cpp/include`` and the library in ``build/cpp``. A block preceded by
``<!-- readme-check: skip (reason) -->`` is listed but not run. Exit status 1 if any block fails.

Usage: scripts/check_readme.py [README.md ...]   (default: every README.md git tracks)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w+)?\s*$")
SKIP = re.compile(r"<!--\s*readme-check:\s*skip\s*\((?P<reason>[^)]*)\)\s*-->")
RUNNABLE = ("sh", "python", "csharp", "cpp")
TIMEOUT_S = 300


@dataclass(frozen=True)
class Block:
    language: str
    line: int
    code: str
    skip_reason: str | None


def parse_blocks(text: str) -> list[Block]:
    """Returns the fenced blocks of a Markdown text, with their 1-based opening line."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        previous = lines[start - 1] if start > 0 else ""
        skip = SKIP.search(previous)
        blocks.append(Block(match.group(1) or "", start + 1, "\n".join(body) + "\n",
                            skip.group("reason") if skip else None))
        i += 1
    return blocks


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
                          stdin=subprocess.DEVNULL)


def run_sh(block: Block, work: Path) -> subprocess.CompletedProcess[str]:
    return run(["bash", "-euo", "pipefail", "-c", block.code], ROOT)


def run_python(block: Block, work: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src" / "python"))
    return run([sys.executable, "-c", block.code], ROOT, env)


CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="{library}" />
  </ItemGroup>
</Project>
"""


def run_csharp(block: Block, work: Path) -> subprocess.CompletedProcess[str]:
    project = work / f"csharp-{block.line}"
    project.mkdir()
    (project / "Example.csproj").write_text(
        CSPROJ.format(library=ROOT / "src" / "ZeroBuffer" / "ZeroBuffer.csproj"))
    (project / "Program.cs").write_text(block.code)
    # Its own artifacts path keeps the example's build away from the repository's bin/ and obj/.
    return run(["dotnet", "run", "-c", "Release", "--artifacts-path", str(work / "artifacts"), "--nologo"], project)


def run_cpp(block: Block, work: Path) -> subprocess.CompletedProcess[str]:
    libraries = sorted((ROOT / "build" / "cpp").rglob("libzerobuffer.a"))
    if not libraries:
        raise RuntimeError("build/cpp holds no libzerobuffer.a: run scripts/build.sh first")
    source = work / f"example-{block.line}.cpp"
    binary = work / f"example-{block.line}"
    source.write_text(block.code)
    built = run(["g++", "-std=c++20", "-Wall", "-Wextra", "-Werror", f"-I{ROOT / 'src' / 'cpp' / 'include'}",
                 str(source), str(libraries[0]), "-pthread", "-o", str(binary)], work)
    return built if built.returncode != 0 else run([str(binary)], ROOT)


RUNNERS = {"sh": run_sh, "python": run_python, "csharp": run_csharp, "cpp": run_cpp}


def tracked_readmes() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "README.md", "*/README.md"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    return [ROOT / name for name in sorted(listed, key=lambda n: (n.count("/"), n))]


def main(argv: list[str]) -> int:
    readmes = [Path(a) for a in argv[1:]] or tracked_readmes()
    blocks = [(readme, b) for readme in readmes for b in parse_blocks(readme.read_text()) if b.language in RUNNABLE]
    work = Path(tempfile.mkdtemp(prefix="readme-check-"))
    passed = failed = skipped = 0
    try:
        for readme, block in blocks:
            where = f"{readme.resolve().relative_to(ROOT)}:{block.line} ({block.language})"
            if block.skip_reason is not None:
                print(f"  - {where}: skipped: {block.skip_reason}")
                skipped += 1
                continue
            try:
                result = RUNNERS[block.language](block, work)
                ok, output = result.returncode == 0, result.stdout + result.stderr
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                ok, output = False, str(error)
            if ok:
                print(f"  ✓ {where}")
                passed += 1
            else:
                print(f"  ✗ {where}: failed\n" + "\n".join("      " + l for l in output.splitlines()[-30:]))
                failed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"readme: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
