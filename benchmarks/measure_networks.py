"""Ties among 100,000 people, bonding, bridging or linking: `socialcouncil measure` vs networkx.

Makes people and connections CSVs with the demo data's script (100,000 people and 1,000,000
ties by default; `--rows` for fewer ties, `--people` for fewer people), then runs, side by
side in one run (alternating, median of `--rounds`), two whole processes computing the
`networks` model's figures: ties by type counted once per unordered pair (linking between an
institutional role and any other, else bonding within a group and bridging across), the E-I
index, people, connected people, people with a bridging and with a linking tie, connected
components among connected people and the largest one's share:
- `socialcouncil measure FILE --format json` on a model file with two CSV sources and one
  measure (model `networks`);
- a networkx script: the CSVs read with pandas, an undirected `networkx.Graph` with each
  person's group and role as node attributes, each edge classified, and
  `networkx.connected_components`.
It checks that every figure agrees, then prints each side's time and peak memory and how many
times as fast socialcouncil is. Target: at least 8 times as fast.

Then, in this process, the computation alone, from tables already read and held in memory
(alternating, median of `--rounds`, after one untimed run of each): `socialcouncil.measure`
on the CSV sources' tables (the runner's validation of every row, the model's row rules and
the model), against the networkx script's graph, classification and components on the
pandas frames it reads. Both sides' figures are checked to agree again. Whole processes
include reading the CSVs and importing each side's libraries; the computation alone is what
the two ways of measuring a network differ in. `--whole-only` leaves it out.

`--data DIR` makes the data there once and reuses it on later runs.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import TYPE_CHECKING, Any

import _measuring

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

INSTITUTIONAL = ("officer", "councillor")

MODEL_FILE = f"""\
format = 1

[council]
name = "Benchmark Borough Council"

[[sources]]
id = "connections"
type = "csv"
location = "connections.csv"

[[sources]]
id = "people"
type = "csv"
location = "people.csv"

[[measures]]
id = "networks"
name = "Bonding, bridging and linking ties"
unit = "ties"
model = "networks"
source = {{ ties = "connections", people = "people" }}
options = {{ institutional_roles = [{", ".join(f'"{role}"' for role in INSTITUTIONAL)}] }}

[measures.columns]
ties = {{ from = "From", to = "To" }}
people = {{ person = "Person", group = "Group", role = "Role" }}
"""


def with_networkx(data: Path, output: Path) -> None:
    """The networkx script: the networks model's figures for the whole population."""
    people, ties = read_with_pandas(data)
    _measuring.write_figures(output, networkx_figures(people, ties))


def read_with_pandas(data: Path) -> tuple[Any, Any]:
    """The networkx script's tables: the people and the ties, read with pandas."""
    import pandas as pd

    people = pd.read_csv(data / "people.csv", dtype=str)
    ties = pd.read_csv(data / "connections.csv", usecols=["From", "To"], dtype=str)
    return people, ties


def networkx_figures(people: Any, ties: Any) -> list[dict[str, Any]]:
    """The networkx script's computation: the graph, each edge classified, the components."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(
        (person, {"group": group, "institutional": role in INSTITUTIONAL})
        for person, group, role in zip(
            people["Person"], people["Group"], people["Role"], strict=True
        )
    )
    graph.add_edges_from(zip(ties["From"], ties["To"], strict=True))  # one edge per pair
    kinds = {"bonding": 0, "bridging": 0, "linking": 0}
    bridging: set[str] = set()
    linking: set[str] = set()
    nodes = graph.nodes
    for one, other in graph.edges():
        if nodes[one]["institutional"] != nodes[other]["institutional"]:
            kinds["linking"] += 1
            linking.update((one, other))
        elif nodes[one]["group"] == nodes[other]["group"]:
            kinds["bonding"] += 1
        else:
            kinds["bridging"] += 1
            bridging.update((one, other))
    # People without a tie are components of one; the model counts components among connected
    # people only.
    sizes = [len(c) for c in nx.connected_components(graph) if len(c) > 1]
    connected = sum(sizes)
    within = kinds["bonding"] + kinds["bridging"]
    figures = [
        *(("ties", count, count, {"type": kind}) for kind, count in kinds.items()),
        ("ei-index", (kinds["bridging"] - kinds["bonding"]) / within, within, {}),
        ("people", graph.number_of_nodes(), graph.number_of_nodes(), {}),
        ("connected-people", connected, connected, {}),
        ("people-with-bridging-tie", len(bridging), len(bridging), {}),
        ("people-with-linking-tie", len(linking), len(linking), {}),
        ("components", len(sizes), connected, {}),
        ("largest-component-share", 100 * max(sizes) / connected, connected, {}),
    ]
    return [
        _measuring.result("networks", "networks", indicator, value, n, **dimensions)
        for indicator, value, n, dimensions in figures
    ]


def socialcouncil_tables(model: Path) -> tuple[Any, dict[str, Any]]:
    """The council and its sources' tables, read as `socialcouncil measure` reads them."""
    import socialcouncil

    council = socialcouncil.load(model)
    sources = socialcouncil.registry().data_sources
    tables = {
        source.id: sources[source.type](model.parent / str(source.location)).read().frame.collect()
        for source in council.sources
    }
    return council, tables


def socialcouncil_figures(council: Any, tables: dict[str, Any]) -> list[dict[str, Any]]:
    """`socialcouncil.measure` on tables already read: validation, row rules, the model."""
    import socialcouncil

    measured = socialcouncil.measure(council, frames=tables)
    if measured.problems:
        sys.exit(f"socialcouncil found problems: {measured.problems[:3]}")
    return [
        _measuring.result(str(r.measure), r.model, r.indicator, r.value, r.n or 0, **r.dimensions)
        for r in measured.results
    ]


def in_process(folder: Path, model: Path, rounds: int) -> None:
    """Time each side's computation alone, here, alternating, from tables held in memory."""
    council, tables = socialcouncil_tables(model)
    people, ties = read_with_pandas(folder)
    sides: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "socialcouncil.measure": lambda: socialcouncil_figures(council, tables),
        "networkx": lambda: networkx_figures(people, ties),
    }
    found = {name: compute() for name, compute in sides.items()}  # untimed: imports, caches
    outputs = {}
    for name, results in found.items():
        outputs[name] = folder / f"networks-in-process-{name.split('.')[0]}.json"
        _measuring.write_figures(outputs[name], results)
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, compute in sides.items():
            start = time.perf_counter()
            compute()
            seconds[name].append(time.perf_counter() - start)
    ours, theirs = outputs.values()
    compared, differences = _measuring.disagreements(ours, theirs)
    print(f"  the computation alone, from tables in memory (median of {rounds}):")
    if differences:
        print(f"    the figures DISAGREE ({len(differences)} differences; the first 20):")
        for line in differences[:20]:
            print(f"      {line}")
        sys.exit(1)
    print(f"    figures compared: {compared:,}; all agree (relative tolerance 1e-9)")
    medians = {name: statistics.median(times) for name, times in seconds.items()}
    for name, median in medians.items():
        print(f"    {name:21}  {median:8.2f} s")
    speedup = medians["networkx"] / medians["socialcouncil.measure"]
    print(f"    {speedup:.1f} times as fast: target at least 8 ({_measuring.met(speedup >= 8)})")


def main() -> None:
    parser = _measuring.arguments(__doc__.splitlines()[0], "ties")
    parser.add_argument("--people", type=int, help="people (default: ties / 10)")
    parser.add_argument(
        "--whole-only", action="store_true", help="time whole processes only, not in this one"
    )
    args = parser.parse_args()
    if args.other:
        with_networkx(args.data, args.output)
        return
    people = args.people or max(10, args.rows // 10)
    with _measuring.workspace(args.data) as folder:
        _measuring.make_data(folder, args.rows, ["people", "connections"], people=people)
        model = folder / "networks.toml"
        model.write_text(MODEL_FILE, encoding="utf-8")
        title = f"{people:,} people and {args.rows:,} ties: the networks model, from CSV"
        compared = _measuring.compare(title, model, "networkx", __file__, args, speedup_target=8)
        if compared and not args.whole_only:
            in_process(folder, model, args.rounds)


if __name__ == "__main__":
    main()
