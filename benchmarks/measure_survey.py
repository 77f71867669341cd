"""A million survey responses measured by ward: `socialcouncil measure` against pandas.

Makes a residents' survey CSV with the demo data's script (1,000,000 responses in 20 wards by
default; `--rows` for fewer), then runs, side by side in one run (alternating, median of
`--rounds`), two whole processes computing the same figures, SWEMWBS and ONS4, for the whole
survey and for each ward:
- `socialcouncil measure FILE --format json` on a model file with one CSV source and two
  measures (models `swemwbs` and `ons4`, `by = ["ward"]`), reading the source once;
- a pandas script: `read_csv` of the columns it needs, then groupby sums, means and counts.
It checks that every figure agrees (relative tolerance 1e-9), then prints each side's time and
peak memory (the child process's maximum resident set size) and the ratios socialcouncil /
pandas. Targets: time at most 0.5, memory at most 0.6.

`--data DIR` makes the data there once and reuses it on later runs.
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING

import _measuring

if TYPE_CHECKING:
    from pathlib import Path

ITEMS = [f"Q{i}" for i in range(1, 8)]
ONS4 = {
    "life-satisfaction": "Life satisfaction",
    "worthwhile": "Worthwhile",
    "happiness": "Happiness",
    "anxiety": "Anxiety",
}

MODEL_FILE = f"""\
format = 1

[council]
name = "Benchmark Borough Council"

[[sources]]
id = "survey"
type = "csv"
location = "residents-survey.csv"

[[measures]]
id = "wellbeing"
name = "Mental wellbeing (SWEMWBS)"
unit = "metric score"
model = "swemwbs"
source = "survey"
columns = {{ {", ".join(f'item{i} = "Q{i}"' for i in range(1, 8))}, ward = "Ward" }}
by = ["ward"]

[[measures]]
id = "personal-wellbeing"
name = "Personal wellbeing (ONS4)"
unit = "score"
model = "ons4"
source = "survey"
columns = {{ {", ".join(f'{name} = "{column}"' for name, column in ONS4.items())}, ward = "Ward" }}
by = ["ward"]
"""

# Raw SWEMWBS score (7 to 35) -> metric score (Stewart-Brown et al. 2009).
TABLE = """
    7.00  9.51 11.25 12.40 13.33 14.08 14.75 15.32 15.84 16.36 16.88 17.43 17.98 18.59 19.25
    19.98 20.73 21.54 22.35 23.21 24.11 25.03 26.02 27.03 28.13 29.31 30.70 32.55 35.00
"""
METRIC = dict(zip(range(7, 36), map(float, TABLE.split()), strict=True))
Z = statistics.NormalDist().inv_cdf(0.975)  # the normal approximation's 95% quantile
# ONS thresholds, as the right edges of pandas.cut's bins (answers are whole numbers).
POSITIVE_BANDS = ([-0.5, 4.5, 6.5, 8.5, 10.5], ["low", "medium", "high", "very-high"])
ANXIETY_BANDS = ([-0.5, 1.5, 3.5, 5.5, 10.5], ["very-low", "low", "medium", "high"])


def with_pandas(data: Path, output: Path) -> None:
    """The pandas script: the same figures as the two measures, overall and by ward."""
    import pandas as pd

    frame = pd.read_csv(data / "residents-survey.csv", usecols=["Ward", *ITEMS, *ONS4.values()])
    results: list[dict[str, object]] = []

    def add(measure: str, model: str, indicator: str, value: float, n: int, **dims: str) -> None:
        results.append(_measuring.result(measure, model, indicator, value, n, **dims))

    complete = frame[ITEMS].notna().all(axis=1)
    metric = frame[ITEMS].sum(axis=1, min_count=len(ITEMS)).map(METRIC)
    # The whole survey (one group) and each ward.
    for name, key in ((None, pd.Series(0, index=frame.index)), ("ward", frame["Ward"])):

        def where(group: object, name: str | None = name) -> dict[str, str]:
            return {} if name is None else {name: str(group)}

        stats = metric.groupby(key).agg(["mean", "std", "count"])
        incomplete = (~complete).groupby(key).sum()
        for group, row in stats.iterrows():
            n = int(row["count"])
            add("wellbeing", "swemwbs", "respondents", n, n, **where(group))
            add(
                "wellbeing",
                "swemwbs",
                "incomplete",
                incomplete[group],
                incomplete[group],
                **where(group),
            )
            if n == 0:
                continue
            add("wellbeing", "swemwbs", "mean-metric-score", row["mean"], n, **where(group))
            if n < 2:
                continue
            half = Z * row["std"] / math.sqrt(n)
            add("wellbeing", "swemwbs", "sd-metric-score", row["std"], n, **where(group))
            add("wellbeing", "swemwbs", "ci95-low", row["mean"] - half, n, **where(group))
            add("wellbeing", "swemwbs", "ci95-high", row["mean"] + half, n, **where(group))
        for item, column in ONS4.items():
            answers = frame[column]
            stats = answers.groupby(key).agg(["mean", "count"])
            bins, labels = ANXIETY_BANDS if item == "anxiety" else POSITIVE_BANDS
            bands = pd.crosstab(key, pd.cut(answers, bins=bins, labels=labels))
            bands = bands.reindex(columns=labels, fill_value=0)
            for group, row in stats.iterrows():
                n = int(row["count"])
                add("personal-wellbeing", "ons4", "respondents", n, n, item=item, **where(group))
                if n == 0:
                    continue
                add("personal-wellbeing", "ons4", "mean", row["mean"], n, item=item, **where(group))
                for band in labels:
                    share = 100 * bands.loc[group, band] / n
                    add(
                        "personal-wellbeing",
                        "ons4",
                        "band-share",
                        share,
                        n,
                        item=item,
                        band=band,
                        **where(group),
                    )
    _measuring.write_figures(output, results)


def main() -> None:
    parser = _measuring.arguments(__doc__.splitlines()[0], "survey responses")
    parser.add_argument("--wards", type=int, default=20, help="wards")
    args = parser.parse_args()
    if args.other:
        with_pandas(args.data, args.output)
        return
    with _measuring.workspace(args.data) as folder:
        _measuring.make_data(folder, args.rows, ["residents-survey"], wards=args.wards)
        model = folder / "survey.toml"
        model.write_text(MODEL_FILE, encoding="utf-8")
        title = (
            f"{args.rows:,} survey responses in {args.wards} wards: SWEMWBS and ONS4, "
            "overall and by ward, from CSV"
        )
        _measuring.compare(
            title, model, "pandas", __file__, args, time_target=0.5, memory_target=0.6
        )


if __name__ == "__main__":
    main()
