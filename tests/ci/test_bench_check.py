"""scripts/bench-check: the regression gate compares ratios with the stored baseline and names what regressed."""

from __future__ import annotations

import json
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
    assert {key.split(" ", 1)[0] for key in stored["rows"]} <= {"csharp", "python", "cpp"}
    assert all(row["ratio"] > 0 for row in stored["rows"].values())
