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

`--data DIR` makes the data there once and reuses it on later runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import _measuring

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
    import networkx as nx
    import pandas as pd

    people = pd.read_csv(data / "people.csv", dtype=str)
    ties = pd.read_csv(data / "connections.csv", usecols=["From", "To"], dtype=str)
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
    _measuring.write_figures(
        output,
        (
            _measuring.result("networks", "networks", indicator, value, n, **dimensions)
            for indicator, value, n, dimensions in figures
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="ties")
    parser.add_argument("--people", type=int, help="people (default: ties / 10)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--data", type=Path, help="make (or reuse) the data in this folder")
    parser.add_argument("--check", action="store_true", help="only check the figures agree")
    parser.add_argument("--other", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.other:
        with_networkx(args.data, args.output)
        return
    people = args.people or max(10, args.rows // 10)
    with _measuring.workspace(args.data) as folder:
        _measuring.make_data(folder, args.rows, ["people", "connections"], people=people)
        model = folder / "networks.toml"
        model.write_text(MODEL_FILE, encoding="utf-8")
        ours = _measuring.measure_side(model, folder / f"{model.stem}-socialcouncil.json")
        theirs = _measuring.script_side(
            "networkx", __file__, folder, folder / f"{model.stem}-networkx.json"
        )
        title = f"{people:,} people and {args.rows:,} ties: the networks model, from CSV"
        if args.check:
            _measuring.check_once(title, ours, theirs)
            return
        _measuring.side_by_side([ours, theirs], args.rounds)
        _measuring.report(
            title,
            ours,
            theirs,
            speedup_target=8,
        )


if __name__ == "__main__":
    main()
