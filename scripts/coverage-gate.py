#!/usr/bin/env python3
"""Line-coverage gates over the Cobertura reports of the three languages.

    scripts/coverage-gate.py [--config scripts/coverage/gates.json] REPORT.xml ...

Reads Cobertura XML (coverlet for C#, coverage.py for Python, gcovr for C++), merges them (a line
is covered if any report hit it: the in-process test runs and the spawned workers measure the same
files), groups the files into the modules of the config, prints one table, and exits 1 naming every
module below its gate or with no data at all. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "scripts" / "coverage" / "gates.json"


@dataclass
class Module:
    name: str
    paths: list[str]
    gate: float
    lines: dict[str, dict[int, int]] = field(default_factory=dict)

    def owns(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.paths)

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.lines.values())

    @property
    def covered(self) -> int:
        return sum(1 for hits in self.lines.values() for count in hits.values() if count > 0)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 0.0


def repo_relative(filename: str, sources: list[str]) -> str | None:
    """The report's file name as a path relative to the repository, or None when outside it."""
    candidates = [Path(filename)] if Path(filename).is_absolute() else [Path(s) / filename for s in sources]
    candidates.append(ROOT / filename)
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(ROOT):
            return resolved.relative_to(ROOT).as_posix()
    return None


def read_report(path: Path) -> dict[str, dict[int, int]]:
    root = ET.parse(path).getroot()
    sources = [s.text or "" for s in root.iter("source")] or [str(ROOT)]
    files: dict[str, dict[int, int]] = {}
    for cls in root.iter("class"):
        relative = repo_relative(cls.get("filename", ""), sources)
        if relative is None:
            continue
        hits = files.setdefault(relative, {})
        for line in cls.iter("line"):
            number = int(line.get("number", "0"))
            hits[number] = max(hits.get(number, 0), int(float(line.get("hits", "0"))))
    return files


def load_modules(config: Path) -> tuple[list[Module], list[str]]:
    data = json.loads(config.read_text(encoding="utf-8"))
    modules = [Module(m["name"], m["paths"], float(m["gate"])) for m in data["modules"]]
    return modules, list(data.get("exclude", []))


def assign(modules: list[Module], exclude: list[str], files: dict[str, dict[int, int]]) -> list[str]:
    """Puts every measured file into its module; returns the files no module owns."""
    stray: list[str] = []
    for path, hits in files.items():
        if any(path.startswith(prefix) for prefix in exclude):
            continue
        owner = next((m for m in modules if m.owns(path)), None)
        if owner is None:
            stray.append(path)
            continue
        merged = owner.lines.setdefault(path, {})
        for number, count in hits.items():
            merged[number] = max(merged.get(number, 0), count)
    return stray


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Enforce line-coverage gates over Cobertura reports.")
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    args = parser.parse_args(argv)

    modules, exclude = load_modules(args.config)
    merged: dict[str, dict[int, int]] = {}
    for report in args.reports:
        try:
            files = read_report(report)
        except (ET.ParseError, OSError) as error:
            print(f"error: {report}: cannot read the Cobertura report: {error}", file=sys.stderr)
            return 1
        for path, hits in files.items():
            target = merged.setdefault(path, {})
            for number, count in hits.items():
                target[number] = max(target.get(number, 0), count)
    stray = assign(modules, exclude, merged)

    width = max(len(m.name) for m in modules)
    print(f"{'module':<{width}}  {'lines':>6}  {'covered':>7}  {'cover':>6}  {'gate':>5}")
    failures: list[str] = []
    for module in modules:
        ok = module.total > 0 and module.percent >= module.gate
        mark = "ok" if ok else "BELOW"
        print(f"{module.name:<{width}}  {module.total:>6}  {module.covered:>7}  {module.percent:>5.1f}%  "
              f"{module.gate:>4.0f}%  {mark}")
        if module.total == 0:
            failures.append(f"{module.name}: no coverage data (was its suite run?)")
        elif not ok:
            failures.append(f"{module.name}: {module.percent:.1f}% of {module.total} lines, below its gate of "
                            f"{module.gate:.0f}%")
    for path in sorted(stray):
        print(f"warning: {path} is measured but belongs to no module of {args.config.name}", file=sys.stderr)
    for failure in failures:
        print(f"error: coverage gate: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
