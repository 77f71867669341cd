"""How light `import socialcouncil` and `socialcouncil --version` are.

Prints:
- which heavy modules `import socialcouncil` loads (none of click, cattrs, a file reader),
  from `python -X importtime`;
- the whole-process medians of `socialcouncil --version` and `python -c "import attrs"`,
  measured side by side (alternating runs), and their ratio. Target: at most 1.5.

Run with the project's virtual environment: `.venv/bin/python benchmarks/import_time.py`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("cattrs", "click", "pluggy", "tomllib", "tomli", "tomli_w", "json", "yaml")


def imported_modules(statement: str) -> dict[str, int]:
    """Module name -> cumulative microseconds, from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if cumulative.isdigit():
            found[name.strip()] = int(cumulative)
    return found


def whole_process(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command")
    args = parser.parse_args()

    modules = imported_modules("import socialcouncil")
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    print("import socialcouncil")
    print(f"  cumulative import time: {modules.get('socialcouncil', 0) / 1000:.1f} ms")
    print(f"  heavy modules imported: {', '.join(heavy) if heavy else 'none'}")

    script = shutil.which("socialcouncil", path=str(Path(sys.executable).parent))
    if script is None:
        sys.exit("the socialcouncil command is not installed beside this Python")
    ours = [script, "--version"]
    theirs = [sys.executable, "-c", "import attrs"]
    for command in (ours, theirs):  # warm the file cache
        whole_process(command)
    ours_times, theirs_times = [], []
    for _ in range(args.runs):
        ours_times.append(whole_process(ours))
        theirs_times.append(whole_process(theirs))
    ours_median = statistics.median(ours_times)
    theirs_median = statistics.median(theirs_times)
    print(f"whole process, median of {args.runs} alternating runs")
    print(f"  socialcouncil --version      {ours_median * 1000:7.1f} ms")
    print(f"  python -c 'import attrs'     {theirs_median * 1000:7.1f} ms")
    ratio = ours_median / theirs_median
    print(f"  ratio                        {ratio:7.2f}  (target: at most 1.5)")


if __name__ == "__main__":
    main()
