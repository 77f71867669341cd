"""A million timebank exchanges measured by month: `socialcouncil measure` against pandas.

Makes a timebank ledger CSV with the demo data's script (1,000,000 exchanges by default;
`--rows` for fewer), then runs, side by side in one run (alternating, median of `--rounds`),
two whole processes computing the `timebank` model's figures for the whole ledger and for each
month (exchanges, hours, active members, reciprocity, the Gini coefficient of hours given,
distinct pairs):
- `socialcouncil measure FILE --format json` on a model file with one CSV source and one
  measure (model `timebank`, `period = "month"`);
- a pandas script: `read_csv` with the dates parsed, then groupby counts, sums and ranks.
It checks that every figure agrees (relative tolerance 1e-9), then prints each side's time and
peak memory and the ratios socialcouncil / pandas. Target: time at most 0.5.

`--data DIR` makes the data there once and reuses it on later runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import _measuring

if TYPE_CHECKING:
    from pathlib import Path

MODEL_FILE = """\
format = 1

[council]
name = "Benchmark Borough Council"

[[sources]]
id = "ledger"
type = "csv"
location = "timebank.csv"

[[measures]]
id = "timebank"
name = "Reciprocity in the timebank"
unit = "percent"
model = "timebank"
source = "ledger"
columns = { giver = "Giver", receiver = "Receiver", hours = "Hours", date = "Date" }
period = "month"
"""


def with_pandas(data: Path, output: Path) -> None:
    """The pandas script: the timebank model's figures, for the whole ledger and each month."""
    import pandas as pd

    ledger = pd.read_csv(data / "timebank.csv", parse_dates=["Date"], date_format="%Y-%m-%d")
    ledger["period"] = ledger["Date"].dt.strftime("%Y-%m")
    ledger["whole"] = ""
    # Each member's hours given, and whether they gave and received, per group of rows.
    sides = pd.concat(
        [
            pd.DataFrame(
                {
                    "whole": ledger["whole"],
                    "period": ledger["period"],
                    "member": ledger["Giver"],
                    "given": ledger["Hours"],
                    "gave": True,
                    "received": False,
                }
            ),
            pd.DataFrame(
                {
                    "whole": ledger["whole"],
                    "period": ledger["period"],
                    "member": ledger["Receiver"],
                    "given": 0.0,
                    "gave": False,
                    "received": True,
                }
            ),
        ],
        ignore_index=True,
    )
    low = ledger[["Giver", "Receiver"]].min(axis=1)
    high = ledger[["Giver", "Receiver"]].max(axis=1)
    pairs_frame = pd.DataFrame({"whole": "", "period": ledger["period"], "a": low, "b": high})
    results: list[dict[str, object]] = []
    for key in ("whole", "period"):

        def where(group: str, key: str = key) -> dict[str, str]:
            return {} if key == "whole" else {"period": group}

        exchanges = ledger.groupby(key).agg(exchanges=("Hours", "size"), hours=("Hours", "sum"))
        members = sides.groupby([key, "member"]).agg(
            given=("given", "sum"), gave=("gave", "any"), received=("received", "any")
        )
        members["both"] = members["gave"] & members["received"]
        # Population Gini from the ranks: G = 2 Σ i·x(i) / (n Σ x) - (n + 1) / n.
        members = members.sort_values([key, "given"])
        members["rank"] = members.groupby(level=0).cumcount() + 1
        members["weighted"] = members["rank"] * members["given"]
        per_group = members.groupby(level=0).agg(
            active=("given", "size"),
            both=("both", "sum"),
            given=("given", "sum"),
            weighted=("weighted", "sum"),
        )
        pairs = pairs_frame.drop_duplicates([key, "a", "b"]).groupby(key).size()
        for group, row in exchanges.iterrows():
            count = int(row["exchanges"])
            people = per_group.loc[group]
            active = int(people["active"])
            gini = 2 * people["weighted"] / (active * people["given"]) - (active + 1) / active
            for indicator, value, n in (
                ("exchanges", count, count),
                ("hours", row["hours"], count),
                ("active-members", active, active),
                ("reciprocity", 100 * people["both"] / active, active),
                ("gini-hours-given", gini, active),
                ("pairs", pairs[group], count),
            ):
                results.append(
                    _measuring.result(
                        "timebank", "timebank", indicator, value, n, **where(str(group))
                    )
                )
    _measuring.write_figures(output, results)


def main() -> None:
    parser = _measuring.arguments(__doc__.splitlines()[0], "exchanges")
    args = parser.parse_args()
    if args.other:
        with_pandas(args.data, args.output)
        return
    with _measuring.workspace(args.data) as folder:
        _measuring.make_data(folder, args.rows, ["timebank"])
        model = folder / "timebank.toml"
        model.write_text(MODEL_FILE, encoding="utf-8")
        title = f"{args.rows:,} timebank exchanges: the timebank model, overall and by month"
        _measuring.compare(title, model, "pandas", __file__, args, time_target=0.5)


if __name__ == "__main__":
    main()
