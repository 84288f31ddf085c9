"""Checks the hosted CI workflows without a hosted CI: schema, matrix, commands, and the shard merge.

Run by `scripts/test-all.sh --only ci` (needs the build and `scripts/setup.sh`'s tools).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
VALIDATOR = ROOT / ".tools" / "node" / "node_modules" / ".bin" / "action-validator"
MODES = {"separate-process", "same-process"}
# Actions the workflows may use: GitHub's own, at a pinned major version.
ALLOWED_ACTIONS = re.compile(r"^actions/(checkout|setup-dotnet|upload-artifact|download-artifact)@v\d+$")
# Words of a `run:` line that name something in this repository.
REPO_PATH = re.compile(r"^(\./)?(scripts/|test\.sh$)[\w./-]*$")


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path}: not a mapping"
    return document


def platforms() -> list[str]:
    config = json.loads((ROOT / "harmony.json").read_text(encoding="utf-8"))
    return list(config["platforms"])


def run_lines(workflow: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "run" in step:
                lines.extend(line.strip() for line in str(step["run"]).splitlines() if line.strip())
    return lines


HARMONY = ROOT / "src" / "Harmony.Orchestrator" / "bin" / "Release" / "net10.0" / "harmony"


def harmony(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The orchestrator as test.sh runs it, minus test.sh's setup and build checks (done by test-all.sh)."""
    return subprocess.run([str(HARMONY), "--config", str(ROOT / "harmony.json"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_actions_schema(path: Path) -> None:
    result = subprocess.run([str(VALIDATOR), str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path: Path) -> None:
    # Proves the schema check above can fail: a misspelt key must be refused.
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    result = subprocess.run([str(VALIDATOR), str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode != 0


def test_matrix_names_exactly_every_pair_and_both_modes() -> None:
    matrix = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["matrix"]["strategy"]["matrix"]
    expected = {f"{reader}_{writer}" for reader, writer in itertools.product(platforms(), repeat=2)}
    assert len(matrix["pair"]) == len(set(matrix["pair"])), "a pair is listed twice"
    assert set(matrix["pair"]) == expected
    assert set(matrix["mode"]) == MODES


def test_report_job_expects_one_report_per_shard() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "ci.yml")
    matrix = workflow["jobs"]["matrix"]["strategy"]["matrix"]
    merge = next(line for line in run_lines(workflow) if "merge-junit.py" in line)
    expect = int(re.search(r"--expect (\d+)", merge).group(1))  # type: ignore[union-attr]
    assert expect == len(matrix["pair"]) * len(matrix["mode"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_repository_command_exists(path: Path) -> None:
    workflow = load(path)
    named = [word for line in run_lines(workflow) for word in shlex.split(line) if REPO_PATH.match(word)]
    assert named, "the workflow runs nothing from the repository"
    for word in named:
        target = ROOT / word.removeprefix("./")
        assert target.is_file(), f"{path.name} runs {word}, which does not exist"
        assert os.access(target, os.X_OK) or target.suffix == ".py", f"{word} is not executable"
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert ALLOWED_ACTIONS.match(step["uses"]), f"{path.name}: unexpected action {step['uses']}"


def test_every_matrix_shard_is_a_valid_selection() -> None:
    matrix = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["matrix"]["strategy"]["matrix"]
    for pair, mode in itertools.product(matrix["pair"], matrix["mode"]):
        result = harmony(pair, "--mode", mode, "--list")
        assert result.returncode == 0, f"{pair} {mode}: {result.stdout}{result.stderr}"
        # Same-process mode plans only what one worker can host, so a mixed pair plans fewer cases.
        planned = re.search(r"^(\d+) test case\(s\)$", result.stdout, re.MULTILINE)
        assert planned and int(planned.group(1)) > 0, f"{pair} {mode} plans nothing:\n{result.stdout}"


def case_names(report: Path) -> list[str]:
    return [case.get("name", "") for case in ET.parse(report).getroot().iter("testcase")]


def test_merge_of_two_real_shards(tmp_path: Path) -> None:
    # Two real shards of one selection, as two matrix jobs would produce them.
    selection = ["csharp_python", "1.*"]
    shards = [tmp_path / "shard-1.xml", tmp_path / "shard-2.xml"]
    for index, report in enumerate(shards, start=1):
        result = harmony(*selection, "--shard", f"{index}/2", "--junit", str(report))
        assert result.returncode == 0, result.stdout + result.stderr
    merged = tmp_path / "merged" / "harmony.junit.xml"
    merge = subprocess.run(["python3", str(ROOT / "scripts" / "merge-junit.py"), "--expect", "2", "-o", str(merged),
                            str(tmp_path)], capture_output=True, text=True, check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr

    names = case_names(merged)
    assert sorted(names) == sorted(case_names(shards[0]) + case_names(shards[1]))
    assert len(names) == len(set(names)), "a case ran in both shards"
    assert all(len(case_names(s)) > 0 for s in shards), "a shard ran nothing"
    root = ET.parse(merged).getroot()
    assert root.get("tests") == str(len(names)) and root.get("failures") == "0"
    assert f"merged: {len(names)} passed, 0 failed" in merge.stdout


def test_merge_fails_on_a_failed_case_and_on_a_missing_shard(tmp_path: Path) -> None:
    shard = tmp_path / "one.xml"
    shard.write_text(
        '<testsuites><testsuite name="s"><testcase name="Test 1.1 - A [reader=csharp, writer=cpp]"/>'
        '<testcase name="Test 1.2 - B [reader=csharp, writer=cpp]"><failure message="boom"/></testcase>'
        '</testsuite></testsuites>', encoding="utf-8")
    failed = subprocess.run(["python3", str(ROOT / "scripts" / "merge-junit.py"), str(shard)],
                            capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "FAILED: Test 1.2 - B" in failed.stderr
    assert "merged: 1 passed, 1 failed, 0 skipped" in failed.stdout

    shard.write_text('<testsuites><testsuite name="s"><testcase name="ok"/></testsuite></testsuites>', encoding="utf-8")
    short = subprocess.run(["python3", str(ROOT / "scripts" / "merge-junit.py"), "--expect", "2", str(tmp_path)],
                           capture_output=True, text=True, check=False)
    assert short.returncode == 1
    assert "expected 2 shard reports, found 1" in short.stderr
