#!/usr/bin/env python3
"""Merges the JUnit XML files of several Harmony shards into one report.

    scripts/merge-junit.py [--expect N] [-o merged.xml] FILE|DIR ...

Each input is a JUnit file written by `./test.sh ... --junit FILE` (a directory is searched for
``*.xml``). The merged report has one ``<testsuites>`` root holding every shard's suites, with the
totals recomputed. The script prints one line per shard and a closing ``N passed, N failed,
N skipped`` line, and exits 1 when any test case failed, when an input cannot be read, or when
fewer shard files than ``--expect`` were found (a shard that crashed before writing its report
must not pass silently). Standard library only.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Totals:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    time: float = 0.0

    @property
    def passed(self) -> int:
        return self.tests - self.failures - self.errors - self.skipped

    def add_case(self, case: ET.Element) -> None:
        self.tests += 1
        self.time += float(case.get("time", "0") or 0)
        if case.find("failure") is not None:
            self.failures += 1
        elif case.find("error") is not None:
            self.errors += 1
        elif case.find("skipped") is not None:
            self.skipped += 1

    def add(self, other: Totals) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped
        self.time += other.time

    def stamp(self, element: ET.Element) -> None:
        element.set("tests", str(self.tests))
        element.set("failures", str(self.failures))
        element.set("errors", str(self.errors))
        element.set("skipped", str(self.skipped))
        element.set("time", f"{self.time:.3f}")


def collect_inputs(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.xml")))
        else:
            files.append(path)
    return files


def suites_of(path: Path) -> list[ET.Element]:
    """The <testsuite> elements of one JUnit file, whether its root is <testsuites> or <testsuite>."""
    root = ET.parse(path).getroot()
    if root.tag == "testsuite":
        return [root]
    if root.tag == "testsuites":
        return list(root.iter("testsuite"))
    raise ValueError(f"root element is <{root.tag}>, expected <testsuites> or <testsuite>")


def merge(files: list[Path]) -> tuple[ET.Element, Totals, list[str]]:
    merged = ET.Element("testsuites", name="harmony")
    total = Totals()
    problems: list[str] = []
    for path in files:
        try:
            suites = suites_of(path)
        except (ET.ParseError, OSError, ValueError) as error:
            problems.append(f"{path}: cannot read JUnit XML: {error}")
            continue
        shard = Totals()
        for suite in suites:
            suite_totals = Totals()
            for case in suite.iter("testcase"):
                suite_totals.add_case(case)
            suite_totals.stamp(suite)  # recomputed: never trust a shard's own counters
            shard.add(suite_totals)
            merged.append(suite)
        print(f"{path}: {shard.passed} passed, {shard.failures + shard.errors} failed, {shard.skipped} skipped")
        total.add(shard)
    total.stamp(merged)
    return merged, total, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Merge the JUnit XML reports of Harmony shards.")
    parser.add_argument("inputs", nargs="+", help="JUnit files or directories holding them")
    parser.add_argument("-o", "--output", type=Path, help="write the merged report here")
    parser.add_argument("--expect", type=int, default=0, help="fail unless at least this many shard files exist")
    args = parser.parse_args(argv)

    files = collect_inputs(args.inputs)
    missing = [str(f) for f in files if not f.is_file()]
    merged, total, problems = merge([f for f in files if f.is_file()])
    problems += [f"{m}: no such file" for m in missing]
    found = len(files) - len(missing)
    if found < args.expect:
        problems.append(f"expected {args.expect} shard reports, found {found}")

    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(merged).write(args.output, encoding="utf-8", xml_declaration=True)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    for suite in merged.iter("testsuite"):
        for case in suite.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                print(f"FAILED: {case.get('name')}", file=sys.stderr)
    print(f"merged: {total.passed} passed, {total.failures + total.errors} failed, {total.skipped} skipped")
    return 1 if problems or total.failures or total.errors else 0


if __name__ == "__main__":
    sys.exit(main())
