"""What the measurement benchmarks share: making their data, timing whole processes, comparing.

Each benchmark runs two whole processes side by side, alternating, a few rounds: the
`socialcouncil measure` command on a model file, and a script computing the same figures with
the library a council's analyst would otherwise use. Time is wall-clock; memory is the child
process's peak resident set size, from `os.wait4` (what `/usr/bin/time` reports). Both write
their figures in the command's JSON shape, and the benchmark checks that they agree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
MAKE_DATA = ROOT / "docs" / "examples" / "data" / "make_data.py"

# One figure: (measure, indicator, dimensions as sorted (key, value) pairs).
Key = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass
class Run:
    """One whole process: how long it took and its peak memory."""

    seconds: float
    max_rss: int  # bytes


@dataclass
class Side:
    """One side of a benchmark: the command, where it writes its figures, and its runs."""

    name: str
    command: list[str]
    output: Path
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def max_rss(self) -> int:
        return max(run.max_rss for run in self.runs)


@contextlib.contextmanager
def workspace(keep: Path | None) -> Iterator[Path]:
    """The folder the data are made in: *keep* when given (and kept), else a temporary one."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="socialcouncil-bench-") as folder:
        yield Path(folder)


def make_data(
    folder: Path, rows: int, files: Sequence[str], *, people: int | None = None, wards: int = 20
) -> None:
    """Make the big files with the demo data's script, unless *folder* already has them."""
    wanted = [name for name in files if not (folder / f"{name}.csv").exists()]
    if not wanted:
        print(f"using the data already in {folder}")
        return
    command = [sys.executable, str(MAKE_DATA), "--out", str(folder), "--rows", str(rows)]
    command += ["--wards", str(wards), "--files", *wanted]
    if people is not None:
        command += ["--people", str(people)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"made {', '.join(wanted)} ({rows:,} rows) in {time.perf_counter() - start:.0f} s")


def socialcouncil_command() -> str:
    """The `socialcouncil` command installed beside this Python."""
    found = shutil.which("socialcouncil", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit("the socialcouncil command is not installed beside this Python")
    return found


def measure_side(model_file: Path, output: Path) -> Side:
    """The whole `socialcouncil measure` process, writing JSON to *output*."""
    command = [socialcouncil_command(), "measure", str(model_file), "--format", "json"]
    command += ["--output", str(output), "--quiet"]
    return Side("socialcouncil measure", command, output)


def script_side(name: str, script: str, folder: Path, output: Path) -> Side:
    """A benchmark script run as its own process, in its other library's mode."""
    command = [sys.executable, script, "--other", "--data", str(folder), "--output", str(output)]
    return Side(name, command, output)


def run(command: Sequence[str]) -> Run:
    """Run *command* to the end; its wall-clock time and peak resident memory."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            sys.exit(f"{' '.join(command)} exited {process.returncode}:\n{message}")
    return Run(seconds, usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux


def arguments(description: str, rows: str) -> argparse.ArgumentParser:
    """The options every measurement benchmark takes; a benchmark adds its own after them.

    *rows* says what the rows are, such as ``"ties"``. ``--other`` and ``--output`` are for
    the benchmark running its other-library side as a process of its own.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rows", type=int, default=1_000_000, help=rows)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--data", type=Path, help="make (or reuse) the data in this folder")
    parser.add_argument("--check", action="store_true", help="only check the figures agree")
    parser.add_argument("--other", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    return parser


def compare(
    title: str,
    model: Path,
    alternative: str,
    script: str,
    args: argparse.Namespace,
    **targets: float,
) -> bool:
    """Time ``socialcouncil measure`` on *model* against *script*'s *alternative* side.

    With ``--check``, only check once that the figures agree, and return False; otherwise run
    both sides side by side, print the report with its *targets* (see :func:`report`), and
    return True.
    """
    folder = model.parent
    ours = measure_side(model, folder / f"{model.stem}-socialcouncil.json")
    theirs = script_side(alternative, script, folder, folder / f"{model.stem}-{alternative}.json")
    if args.check:
        check_once(title, ours, theirs)
        return False
    side_by_side([ours, theirs], args.rounds)
    report(title, ours, theirs, **targets)
    return True


def side_by_side(sides: Sequence[Side], rounds: int) -> None:
    """Run the sides in turn, *rounds* times, so that both see the same machine."""
    for side in sides:  # warm the file cache and the imports once, untimed
        run(side.command)
    for _ in range(rounds):
        for side in sides:
            side.runs.append(run(side.command))


def check_once(title: str, ours: Side, theirs: Side) -> None:
    """Run each side once, untimed, and check that their figures agree (exit 1 if not)."""
    for side in (ours, theirs):
        run(side.command)
    agree(title, ours, theirs)


def agree(title: str, ours: Side, theirs: Side) -> None:
    """Print how many figures agree, or every way they differ and exit 1."""
    compared, found = disagreements(ours.output, theirs.output)
    print(title)
    if found:
        print(f"  the figures DISAGREE ({len(found)} differences; the first 20):")
        for line in found[:20]:
            print(f"    {line}")
        sys.exit(1)
    print(f"  figures compared: {compared:,}; all agree (relative tolerance 1e-9)")


def figures(path: Path) -> dict[Key, tuple[float, int | None]]:
    """The results in a JSON file of the `measure` command's shape, by figure."""
    found: dict[Key, tuple[float, int | None]] = {}
    for result in json.loads(path.read_text(encoding="utf-8"))["results"]:
        dimensions = tuple(sorted((k, str(v)) for k, v in result["dimensions"].items()))
        key = (result["measure"], result["indicator"], dimensions)
        if key in found:
            sys.exit(f"{path}: the figure {describe(key)} appears twice")
        found[key] = (float(result["value"]), result.get("n"))
    return found


def describe(key: Key) -> str:
    measure, indicator, dimensions = key
    where = ", ".join(f"{k}={v}" for k, v in dimensions)
    return f"{measure} {indicator}" + (f" [{where}]" if where else "")


def disagreements(ours: Path, theirs: Path, rel: float = 1e-9) -> tuple[int, list[str]]:
    """How many figures were compared, and every way the two files differ."""
    a, b = figures(ours), figures(theirs)
    found = [f"only from socialcouncil: {describe(k)}" for k in sorted(a.keys() - b.keys())]
    found += [f"only from the other script: {describe(k)}" for k in sorted(b.keys() - a.keys())]
    for key in sorted(a.keys() & b.keys()):
        (value, n), (other_value, other_n) = a[key], b[key]
        if not math.isclose(value, other_value, rel_tol=rel, abs_tol=1e-12):
            found.append(f"{describe(key)}: value {value!r} against {other_value!r}")
        if n != other_n:
            found.append(f"{describe(key)}: n {n!r} against {other_n!r}")
    return len(a.keys() & b.keys()), found


def write_figures(path: Path, results: Iterable[Mapping[str, Any]]) -> None:
    """Write results in the `measure` command's JSON shape."""
    document = {"results": list(results), "problems": []}
    path.write_text(json.dumps(document), encoding="utf-8")


def result(
    measure: str, model: str, indicator: str, value: float, n: int, **dimensions: object
) -> dict[str, Any]:
    """One result as the `measure` command writes it in JSON."""
    return {
        "measure": measure,
        "model": model,
        "indicator": indicator,
        "value": float(value),
        "n": int(n),
        "dimensions": {k: str(v) for k, v in dimensions.items()},
    }


def report(
    title: str,
    ours: Side,
    theirs: Side,
    *,
    time_target: float | None = None,
    speedup_target: float | None = None,
    memory_target: float | None = None,
) -> None:
    """Check the figures agree, then print both sides' time and memory and their ratios."""
    agree(title, ours, theirs)
    rounds = len(ours.runs)
    width = max(len(ours.name), len(theirs.name), len("ratio"))
    print(f"  {'':{width}}  {f'time (median of {rounds})':>22}  {'peak memory':>12}")
    for side in (ours, theirs):
        memory = f"{side.max_rss / 1e6:,.0f} MB"
        print(f"  {side.name:{width}}  {side.seconds:20.2f} s  {memory:>12}")
    time_ratio = ours.seconds / theirs.seconds
    memory_ratio = ours.max_rss / theirs.max_rss
    print(f"  {'ratio':{width}}  {time_ratio:22.2f}  {memory_ratio:12.2f}")
    if time_target is not None:
        verdict = met(time_ratio <= time_target)
        print(f"  time ratio {time_ratio:.2f}: target at most {time_target} ({verdict})")
    if speedup_target is not None:
        speedup = theirs.seconds / ours.seconds
        verdict = met(speedup >= speedup_target)
        print(f"  {speedup:.1f} times as fast: target at least {speedup_target} ({verdict})")
    if memory_target is not None:
        print(
            f"  memory ratio {memory_ratio:.2f}: target at most {memory_target} "
            f"({met(memory_ratio <= memory_target)})"
        )


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"
