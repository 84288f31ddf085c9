"""scripts/bench-check: the regression gate compares ratios with the stored baseline and names what regressed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH_CHECK = ROOT / "scripts" / "bench-check"


def record(lang: str, measure: str, size: int, unit: str, baseline: str, ratio: float) -> dict[str, Any]:
    return {"lang": lang, "measure": measure, "frameBytes": size, "value": 1.0, "unit": unit,
            "baseline": baseline, "baselineValue": 1.0, "ratio": ratio}


def result_set(scale_p50: float = 1.0) -> list[dict[str, Any]]:
    return [record("cpp", "throughput", 1048576, "GB/s", "memcpy", 0.8),
            record("cpp", "roundtrip", 64, "us p50", "sem-pingpong", 10.0 * scale_p50),
            record("cpp", "roundtrip", 64, "us p99", "sem-pingpong", 8.0 * scale_p50)]


def write(path: Path, content: Any) -> Path:
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def check(tmp_path: Path, baseline: dict[str, Any], *runs: list[dict[str, Any]], update: bool = False
          ) -> subprocess.CompletedProcess[str]:
    base = write(tmp_path / "baseline.json", baseline)
    args = [str(BENCH_CHECK), "--baseline", str(base), "--lang", "cpp"]
    for index, run in enumerate(runs):
        args += ["--from", str(write(tmp_path / f"run-{index}.json", run))]
    if update:
        args.append("--update")
    return subprocess.run(args, capture_output=True, text=True, check=False)


BASELINE = {"tolerance": 0.25, "rows": {
    "cpp throughput 1048576 B GB/s vs memcpy": {"ratio": 0.8},
    "cpp roundtrip 64 B us p50 vs sem-pingpong": {"ratio": 10.0},
    "cpp roundtrip 64 B us p99 vs sem-pingpong": {"ratio": 8.0, "informational": True},
}}


def test_an_unchanged_result_set_passes(tmp_path: Path) -> None:
    result = check(tmp_path, BASELINE, result_set(), result_set(), result_set())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bench-check: 3 passed, 0 failed" in result.stdout


def test_a_slowed_result_set_fails_naming_the_row(tmp_path: Path) -> None:
    # p50 ratio halved in two of three runs: the median is half the stored ratio, past the 25 % tolerance.
    result = check(tmp_path, BASELINE, result_set(0.5), result_set(0.5), result_set())
    assert result.returncode == 1
    assert "error: cpp roundtrip 64 B us p50 vs sem-pingpong: ratio 5.000 is below 7.500" in result.stderr
    assert "REGRESSED" in result.stdout
    # The informational p99 row got worse too, and is reported without failing the run.
    assert "worse (informational)" in result.stdout
    assert "bench-check: 2 passed, 1 failed" in result.stdout


def test_a_slowdown_within_tolerance_passes(tmp_path: Path) -> None:
    result = check(tmp_path, BASELINE, result_set(0.8))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_row_override_tightens_the_tolerance(tmp_path: Path) -> None:
    strict = json.loads(json.dumps(BASELINE))
    strict["rows"]["cpp roundtrip 64 B us p50 vs sem-pingpong"]["tolerance"] = 0.1
    result = check(tmp_path, strict, result_set(0.8))
    assert result.returncode == 1
    assert "(stored 10.000 - 10%)" in result.stderr


def test_a_row_missing_from_the_run_fails(tmp_path: Path) -> None:
    result = check(tmp_path, BASELINE, result_set()[:1] + result_set()[2:])
    assert result.returncode == 1
    assert "cpp roundtrip 64 B us p50 vs sem-pingpong: in the baseline but not measured" in result.stderr


def test_update_stores_the_medians(tmp_path: Path) -> None:
    result = check(tmp_path, {"tolerance": 0.3, "rows": {"cpp roundtrip 64 B us p99 vs sem-pingpong":
                                                         {"ratio": 1.0, "informational": True}}},
                   result_set(2.0), result_set(), result_set(3.0), update=True)
    assert result.returncode == 0, result.stderr
    stored = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert stored["tolerance"] == 0.3
    assert stored["rows"]["cpp roundtrip 64 B us p50 vs sem-pingpong"] == {"ratio": 20.0}
    # An existing row keeps its own settings; only its ratio changes.
    assert stored["rows"]["cpp roundtrip 64 B us p99 vs sem-pingpong"] == {"ratio": 16.0, "informational": True}


def test_the_committed_baseline_names_only_known_languages() -> None:
    stored = json.loads((ROOT / "bench" / "baseline.json").read_text(encoding="utf-8"))
    assert stored["rows"], "bench/baseline.json holds no rows"
    assert {key.split(" ", 1)[0] for key in stored["rows"]} <= {"csharp", "python", "cpp", "harmony"}
    assert all(row["ratio"] > 0 for row in stored["rows"].values())


# --- harmony rows: a short @benchmark subset through the orchestrator, read from its --bench-report JSON ---

def report_row(pair: str, metric: str, value: float, baseline_value: float | None, better: str, *,
               measurement: str = "throughput", size: int = 65536, baseline: str | None = "memcpy") -> dict[str, Any]:
    """One row as harmony --bench-report writes it (src/Harmony.Orchestrator/Reporting/Bench/BenchJson.cs)."""
    return {"scenarioId": "20.1", "scenario": "Test 20.1 - Throughput", "step": 2, "stepText": "...", "role": "writer",
            "platform": pair.split("_")[1], "pair": pair, "mode": "separate-process", "measurement": measurement,
            "frameBytes": size, "metric": metric, "value": value,
            "baselineName": baseline if baseline_value is not None else None, "baselineValue": baseline_value,
            "ratio": value / baseline_value if baseline_value else None, "better": better, "stepPassed": True}


def harmony_report(slow: float = 1.0) -> dict[str, Any]:
    return {"generated": "2026-12-06T21:30:00+00:00", "rows": [
        report_row("csharp_cpp", "gb_per_s", 8.0 * slow, 10.0, "higher"),
        report_row("csharp_cpp", "cpu_pct", 99.0, None, "lower"),
        report_row("csharp_cpp", "p50_us", 3.0 / slow, 12.0, "lower", measurement="latency", size=64, baseline="sem-pingpong"),
        report_row("csharp_cpp", "p99_us", 6.0 / slow, 24.0, "lower", measurement="latency", size=64, baseline="sem-pingpong"),
    ]}


GB = "harmony csharp_cpp 20.1 step 2 writer throughput 65536 B gb_per_s vs memcpy"
P50 = "harmony csharp_cpp 20.1 step 2 writer latency 64 B p50_us vs sem-pingpong"
P99 = "harmony csharp_cpp 20.1 step 2 writer latency 64 B p99_us vs sem-pingpong"
HARMONY_BASELINE = {"tolerance": 0.25, "harmony": {"pairs": ["csharp_cpp"], "scenarios": ["20.1"]}, "rows": {
    GB: {"ratio": 0.8}, P50: {"ratio": 4.0}, P99: {"ratio": 4.0, "informational": True}}}


def check_harmony(tmp_path: Path, baseline: dict[str, Any], *reports: dict[str, Any], update: bool = False
                  ) -> subprocess.CompletedProcess[str]:
    base = write(tmp_path / "baseline.json", baseline)
    args = [str(BENCH_CHECK), "--baseline", str(base), "--lang", "harmony"]
    for index, report in enumerate(reports):
        args += ["--from", str(write(tmp_path / f"report-{index}.json", report))]
    return subprocess.run(args + (["--update"] if update else []), capture_output=True, text=True, check=False)


def test_harmony_rows_come_from_the_bench_report_as_times_better(tmp_path: Path) -> None:
    result = check_harmony(tmp_path, HARMONY_BASELINE, harmony_report(), harmony_report(), harmony_report())
    assert result.returncode == 0, result.stdout + result.stderr
    # Old and new side by side per row; a time (p50_us 3 vs 12) counts as 4 times better.
    assert any(line.startswith(P50) and "4.000" in line and line.endswith("ok") for line in result.stdout.splitlines())
    assert "bench-check: 3 passed, 0 failed" in result.stdout


def test_a_slowed_harmony_run_fails_naming_the_row(tmp_path: Path) -> None:
    result = check_harmony(tmp_path, HARMONY_BASELINE, harmony_report(0.5), harmony_report(0.5), harmony_report())
    assert result.returncode == 1
    assert f"error: {GB}: ratio 0.400 is below 0.600 (stored 0.800 - 25%)" in result.stderr
    assert f"error: {P50}: ratio 2.000 is below 3.000" in result.stderr
    assert "worse (informational)" in result.stdout  # p99
    assert "bench-check: 1 passed, 2 failed" in result.stdout


def test_update_stores_harmony_rows_with_tail_percentiles_informational(tmp_path: Path) -> None:
    result = check_harmony(tmp_path, {"tolerance": 0.25, "rows": {}}, harmony_report(), update=True)
    assert result.returncode == 0, result.stderr
    rows = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["rows"]
    assert rows == {GB: {"ratio": 0.8}, P50: {"ratio": 4.0}, P99: {"informational": True, "ratio": 4.0}}


def fake_test_sh(tmp_path: Path, report: dict[str, Any]) -> dict[str, str]:
    """A ./test.sh stand-in that logs its arguments and writes `report` where --bench-report points."""
    source = write(tmp_path / "canned.json", report)
    script = tmp_path / "test.sh"
    script.write_text("#!/bin/sh\n"
                      f"echo \"$@\" >> {tmp_path / 'calls.log'}\n"
                      "while [ $# -gt 0 ]; do [ \"$1\" = --bench-report ] && cp " + str(source) + " \"$2\"; shift; done\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return {**os.environ, "BENCH_CHECK_TEST_SH": str(script)}


def run_check(tmp_path: Path, baseline: dict[str, Any], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = write(tmp_path / "baseline.json", baseline)
    return subprocess.run([str(BENCH_CHECK), "--baseline", str(base), "--lang", "harmony"],
                          capture_output=True, text=True, check=False, env=env)


def test_the_harmony_subset_runs_each_pair_three_times_through_test_sh(tmp_path: Path) -> None:
    baseline = json.loads(json.dumps(HARMONY_BASELINE))
    baseline["harmony"]["pairs"] = ["csharp_cpp", "cpp_python"]
    result = run_check(tmp_path, baseline, fake_test_sh(tmp_path, harmony_report()))
    assert result.returncode == 0, result.stdout + result.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert len(calls) == 6
    assert calls[0].startswith("csharp_cpp 20.1 --mode separate-process --bench --allow-empty --bench-report ")
    assert calls[1].startswith("cpp_python 20.1 ")


def test_no_matching_scenario_skips_the_harmony_part_with_a_message(tmp_path: Path) -> None:
    baseline = {"tolerance": 0.25, "harmony": {"pairs": ["csharp_cpp"], "scenarios": ["99.*"]}, "rows": {}}
    result = run_check(tmp_path, baseline, fake_test_sh(tmp_path, {"generated": "x", "rows": []}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "harmony: skipped: no @benchmark scenario measured anything for 99.* on csharp_cpp" in result.stdout
    assert len((tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()) == 1  # not run again


def test_no_configured_scenario_skips_without_running_harmony(tmp_path: Path) -> None:
    result = run_check(tmp_path, {"tolerance": 0.25, "rows": {}}, fake_test_sh(tmp_path, harmony_report()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'harmony: skipped: no @benchmark scenario ids or pairs configured' in result.stdout
    assert not (tmp_path / "calls.log").exists()


def test_a_stored_harmony_row_fails_as_missing_when_nothing_matches(tmp_path: Path) -> None:
    result = run_check(tmp_path, HARMONY_BASELINE, fake_test_sh(tmp_path, {"generated": "x", "rows": []}))
    assert result.returncode == 1
    assert f"error: {GB}: in the baseline but not measured" in result.stderr


def test_a_failing_harmony_run_is_an_error_with_its_output(tmp_path: Path) -> None:
    script = tmp_path / "test.sh"
    script.write_text("#!/bin/sh\necho 'harmony: 1 failed'; exit 1\n", encoding="utf-8")
    script.chmod(0o755)
    result = run_check(tmp_path, HARMONY_BASELINE, {**os.environ, "BENCH_CHECK_TEST_SH": str(script)})
    assert result.returncode == 1
    assert "error: harmony run failed (exit 1): " in result.stderr and "harmony: 1 failed" in result.stderr


def test_an_id_no_feature_has_skips_the_harmony_part(tmp_path: Path) -> None:
    """harmony refuses a selection naming no scenario (exit 2, "nothing matches"): the ids are not there yet."""
    script = tmp_path / "test.sh"
    script.write_text("#!/bin/sh\necho \"harmony: nothing matches '99.1': use a pair ...\" >&2; exit 2\n", encoding="utf-8")
    script.chmod(0o755)
    baseline = {"tolerance": 0.25, "harmony": {"pairs": ["csharp_cpp"], "scenarios": ["99.1"]}, "rows": {}}
    result = run_check(tmp_path, baseline, {**os.environ, "BENCH_CHECK_TEST_SH": str(script)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "harmony: skipped: no @benchmark scenario measured anything for 99.1 on csharp_cpp" in result.stdout


def sequenced_test_sh(tmp_path: Path, reports: list[dict[str, Any]]) -> dict[str, str]:
    """A ./test.sh stand-in whose n-th call writes reports[n] (the last one from then on)."""
    sources = [write(tmp_path / f"canned-{index}.json", report) for index, report in enumerate(reports)]
    cases = "".join(f"    {index}) src={source} ;;\n" for index, source in enumerate(sources))
    script = tmp_path / "test.sh"
    script.write_text("#!/bin/sh\n"
                      f"n=$(wc -l < {tmp_path / 'calls.log'} 2>/dev/null || echo 0)\n"
                      f"echo \"$@\" >> {tmp_path / 'calls.log'}\n"
                      f"case $n in\n{cases}    *) src={sources[-1]} ;;\nesac\n"
                      "while [ $# -gt 0 ]; do [ \"$1\" = --bench-report ] && cp \"$src\" \"$2\"; shift; done\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return {**os.environ, "BENCH_CHECK_TEST_SH": str(script)}


def test_a_regression_that_does_not_reproduce_passes_on_confirmation(tmp_path: Path) -> None:
    # Three slow runs (a burst of load), then three normal confirmation runs.
    env = sequenced_test_sh(tmp_path, [harmony_report(0.5)] * 3 + [harmony_report()])
    result = run_check(tmp_path, HARMONY_BASELINE, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "confirming 2 regressed row(s) with 3 more run(s) of harmony" in result.stdout
    assert f"{GB}: 0.400 at first, 0.8 on confirmation -> ok" in result.stdout
    assert len((tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()) == 6
    assert "bench-check: 3 passed, 0 failed" in result.stdout


def test_a_regression_that_reproduces_fails_after_confirmation(tmp_path: Path) -> None:
    env = sequenced_test_sh(tmp_path, [harmony_report(0.5)])
    result = run_check(tmp_path, HARMONY_BASELINE, env)
    assert result.returncode == 1
    assert f"{GB}: 0.400 at first, 0.4 on confirmation -> REGRESSED" in result.stdout
    assert f"error: {GB}: ratio 0.400 is below 0.600" in result.stderr


def test_confirm_zero_fails_at_once(tmp_path: Path) -> None:
    env = sequenced_test_sh(tmp_path, [harmony_report(0.5)] * 3 + [harmony_report()])
    base = write(tmp_path / "baseline.json", HARMONY_BASELINE)
    result = subprocess.run([str(BENCH_CHECK), "--baseline", str(base), "--lang", "harmony", "--confirm", "0"],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 1
    assert "confirming" not in result.stdout
    assert len((tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()) == 3
