"""Fuzz driver: feeds seeded cases (cases.py) to one harness process per language, watches each
case with a deadline and classifies it (PROTOCOL.md §5-§6, issue 15):

  success        the library coped and reported nothing
  clean error    a ZeroBufferException of a protocol kind
  crash          an exception of another type, or the harness process died
  hang           no answer within the deadline (the harness is killed)
  sanitizer      AddressSanitizer / UBSan / LeakSanitizer report (the cpp-asan harness)
  leak           /dev/shm objects or the lock file of the case's buffer left after it closed

A crash, hang, sanitizer report or leak fails the run and prints the seed and a one-line
reproducer. The harness is restarted after a crash or hang, so one bad case never hides the others.
Usage: scripts/fuzz.sh [--cases N] [--seed S] [--lang cs|py|cpp|cpp-asan ...] [--case I]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from cases import make_case

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESSES: dict[str, list[str]] = {
    "py": [sys.executable, os.path.join(ROOT, "tests/fuzz/harness_py.py")],
    "cs": [os.path.join(ROOT, "tests/fuzz/ZeroBuffer.Fuzz/bin/Release/net10.0/zerobuffer-fuzz")],
    "cpp": [os.path.join(ROOT, "build/cpp/bin/zerobuffer_fuzz_harness")],
    "cpp-asan": [os.path.join(ROOT, "build/cpp-asan/bin/zerobuffer_fuzz_harness")],
}
FAILURES = ("crash", "hang", "sanitizer", "leak")
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")


class Harness:
    """One harness process; stderr is drained by a thread so it can never block the child."""

    def __init__(self, lang: str, env: dict[str, str]) -> None:
        self.lang = lang
        self.proc = subprocess.Popen(HARNESSES[lang], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.stderr: list[str] = []
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            del self.stderr[:-400]

    def ask(self, case: dict[str, Any], deadline_s: float) -> Optional[dict[str, Any]]:
        """The harness's answer, or None when it died or missed the deadline."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(case) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        ready, _, _ = select.select([self.proc.stdout], [], [], deadline_s)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def sanitizer_report(self) -> Optional[str]:
        self._drain.join(timeout=2)
        text = "".join(self.stderr)
        for mark in SANITIZER_MARKS:
            if mark in text:
                return text[text.index(mark):][:400]
        return None

    def stop(self, force: bool) -> Optional[int]:
        if force and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        elif self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait()


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)  # case index -> "ok" or the error kind


def leftovers(name: str, lock_dir: str) -> list[str]:
    paths = [f"/dev/shm/{name}", f"/dev/shm/sem.sem-w-{name}", f"/dev/shm/sem.sem-r-{name}",
             os.path.join(lock_dir, name + ".lock")]
    return [p for p in paths if os.path.exists(p)]


def remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def run_language(lang: str, indices: range | list[int], seed: int, run_id: str, lock_dir: str,
                 deadline_s: float) -> Tally:
    env = dict(os.environ, ZEROBUFFER_LOCK_DIR=lock_dir,
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    tally = Tally()
    harness: Optional[Harness] = None

    def fail(kind: str, index: int, detail: str) -> None:
        tally.counts[kind] += 1
        tally.failures.append(f"{kind} in {lang} case {index} (seed {seed}): {detail}\n"
                              f"  reproduce: scripts/fuzz.sh --lang {lang} --seed {seed} --case {index}")

    for index in indices:
        case = make_case(seed, index, lang, run_id)
        if harness is None:
            harness = Harness(lang, env)
        answer = harness.ask(case, deadline_s)
        if answer is None:
            died = harness.proc.poll() is not None
            code = harness.stop(force=True)
            report = harness.sanitizer_report()
            if report:
                fail("sanitizer", index, report.splitlines()[0])
            elif died:
                fail("crash", index, f"harness exited with {code}: {''.join(harness.stderr[-3:]).strip()}")
            else:
                fail("hang", index, f"no answer within {deadline_s:g} s; case {json.dumps(case)}")
            harness = None
            remove(leftovers(case["name"], lock_dir))
            continue
        if answer["outcome"] == "ok":
            tally.counts["success"] += 1
            tally.outcomes[index] = "ok"
        elif answer["outcome"] == "error":
            tally.counts["clean error"] += 1
            tally.kinds[answer["kind"]] += 1
            tally.outcomes[index] = answer["kind"]
        else:
            fail("crash", index, f"{answer['kind']}: {answer['message']}")
        left = leftovers(case["name"], lock_dir)
        if left:
            fail("leak", index, ", ".join(left))
            remove(left)
    if harness is not None:
        code = harness.stop(force=False)
        report = harness.sanitizer_report()
        if report:
            fail("sanitizer", -1, f"at harness exit: {report.splitlines()[0]}")
        elif code != 0:
            fail("crash", -1, f"harness exited with {code} at the end: {''.join(harness.stderr[-3:]).strip()}")
    return tally


def report_disagreements(tallies: dict[str, Tally], seed: int) -> None:
    """The libraries apply one rule set, so a case should end alike in every language. A difference is
    printed (not a failure: a random pid may name a live process in one run and not in another)."""
    if len(tallies) < 2:
        return
    differing = [i for i in next(iter(tallies.values())).outcomes
                 if len({t.outcomes.get(i) for t in tallies.values()}) > 1]
    print(f"fuzz: {len(differing)} case(s) ended differently across {', '.join(tallies)}")
    for index in differing[:5]:
        seen = ", ".join(f"{lang} {t.outcomes.get(index)}" for lang, t in tallies.items())
        print(f"  case {index}: {seen}; reproduce: scripts/fuzz.sh --seed {seed} --case {index}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/fuzz.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300, help="cases per language (default 300)")
    parser.add_argument("--seed", type=int, default=None, help="default: a fresh random seed, printed")
    parser.add_argument("--lang", action="append", choices=sorted(HARNESSES),
                        help="repeatable; cpp also runs cpp-asan; default: all")
    parser.add_argument("--case", type=int, default=None, help="run only this case index (a reproducer)")
    parser.add_argument("--deadline", type=float, default=20.0, help="seconds per case before it is a hang")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else secrets.randbelow(1 << 31)
    langs: list[str] = []
    for lang in args.lang or ["cs", "py", "cpp"]:
        for expanded in (["cpp", "cpp-asan"] if lang == "cpp" else [lang]):
            if expanded not in langs:
                langs.append(expanded)
    indices: range | list[int] = [args.case] if args.case is not None else range(args.cases)
    run_id = secrets.token_hex(3)
    lock_dir = tempfile.mkdtemp(prefix=f"zerobuffer-fuzz-{run_id}-")
    print(f"fuzz: seed {seed}, {len(indices)} case(s) per language: {', '.join(langs)}", flush=True)
    failed = False
    tallies: dict[str, Tally] = {}
    try:
        for lang in langs:
            if not os.access(HARNESSES[lang][0], os.X_OK):
                print(f"fuzz {lang}: harness {HARNESSES[lang][0]} is missing (scripts/fuzz.sh builds it)")
                failed = True
                continue
            started = time.monotonic()
            tally = run_language(lang, indices, seed, run_id, lock_dir, args.deadline)
            tallies[lang] = tally
            for line in tally.failures:
                print("FAIL " + line)
            c = tally.counts
            kinds = ", ".join(f"{k} {n}" for k, n in tally.kinds.most_common())
            print(f"fuzz {lang}: {len(indices)} cases: {c['success']} success, {c['clean error']} clean error, "
                  f"{c['crash']} crash, {c['hang']} hang, {c['sanitizer']} sanitizer, {c['leak']} leak "
                  f"(seed {seed}, {time.monotonic() - started:.1f} s) [{kinds}]", flush=True)
            failed = failed or any(c[k] for k in FAILURES)
        report_disagreements(tallies, seed)
    finally:
        shutil.rmtree(lock_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
