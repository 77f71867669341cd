"""The built-in ``networks`` model: bonding, bridging and linking ties between people.

Ties of trust and help are social capital (Szreter and Woolcock 2004): *bonding* within a group,
*bridging* across groups at the same level, and *linking* across gradients of power, between
people in institutional roles (officers, councillors) and residents. Because operationalisations
of these differ (Geys and Murdoch 2008), the grouping is the people's ``group`` and the
institutional roles are an option, both stated with the results. The E-I index is Krackhardt
and Stern's (1988).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames
from socialcouncil.model import InvalidValueError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    import narwhals as nw
    import polars as pl

    from socialcouncil.measurement import MeasurementContext

__all__ = ["TIE_TYPES", "Networks", "register_measurement_models"]

TIE_TYPES = ("bonding", "bridging", "linking")
"""The kinds of tie, in the order results list them."""

# A tie's kind travels as its index in TIE_TYPES: numbers group and compare faster than text.
BONDING, BRIDGING, LINKING = range(len(TIE_TYPES))

_DENSE_LIMIT = 1 << 24
"""Up to this many possible nodes (or twice the ends of ties, when more), nodes are numbered
with a mask rather than by sorting: the mask then takes less memory than the sort would."""


def _dense(values: Any, bound: int) -> tuple[Any, Any]:
    """*values* (whole numbers from 0 to *bound* - 1) numbered from 0 by their distinct values.

    Returns, as NumPy arrays, each value's number and the distinct values in ascending order
    (the number of a value is its place among them), as ``numpy.unique(values,
    return_inverse=True)`` would, but without sorting when a mask of *bound* places is small
    enough (:data:`_DENSE_LIMIT`).
    """
    import numpy as np

    if bound > max(_DENSE_LIMIT, 2 * values.size):
        distinct, numbers = np.unique(values, return_inverse=True)
        return numbers, distinct
    seen = np.zeros(bound, dtype=bool)
    seen[values] = True
    numbers = np.cumsum(seen) - 1
    return numbers[values], np.flatnonzero(seen)


@contextlib.contextmanager
def _importing(module: str) -> Iterator[None]:
    """Import *module* in a thread while the block runs, and wait for it at the block's end.

    The engines release Python's lock while they compute, so the import overlaps their work
    rather than following it. An import that fails here fails again, with its message, where
    the module is used.
    """
    import importlib
    import sys
    import threading

    if module in sys.modules:
        yield
        return

    def load() -> None:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)

    thread = threading.Thread(target=load, name=f"import {module}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


class _TieGraph:
    """The distinct ties as a graph: one node per person in ties, per combination of the keys.

    *distinct* holds the distinct ties between people numbered from 0 (columns ``low`` and
    ``high``, and ``type``, the kind's index in :data:`TIE_TYPES`) with the key columns. The
    people of each combination of the *tie_keys* form their own graph, so one call to scipy's
    ``csgraph`` finds the connected components of every combination at once. People without a
    tie are not nodes.
    """

    def __init__(self, distinct: pl.DataFrame, tie_keys: Sequence[str]) -> None:
        import numpy as np
        import polars as pl

        self.keys = list(tie_keys) or [frames.ALL]
        if tie_keys:
            rank = pl.struct(*tie_keys).rank("dense").cast(pl.Int64) - 1
            numbered = distinct.select(*tie_keys, rank.alias("combo"))
            combo = numbered["combo"].to_numpy()
            self.combos = numbered.unique("combo")
        else:
            combo = np.zeros(distinct.height, dtype=np.int64)
            self.combos = pl.DataFrame({frames.ALL: [1], "combo": [0]})
        low, high = distinct["low"].to_numpy(), distinct["high"].to_numpy()
        stride = int(max(low.max(), high.max())) + 1 if distinct.height else 1
        keyed = np.concatenate([combo * stride + low, combo * stride + high])
        ends, nodes = _dense(keyed, self.combos.height * stride)
        self.size = int(nodes.size)
        self.low, self.high = ends[: distinct.height], ends[distinct.height :]
        self.combo, self.code = nodes // stride, nodes % stride
        self.type = distinct["type"].to_numpy()

    def people(self) -> pl.DataFrame:
        """One row per node: its keys, the person's number and their kinds of tie.

        The columns are the keys, ``code`` (the person's number), ``bridging`` and ``linking``
        (whether they have a tie of that kind).
        """
        import numpy as np
        import polars as pl

        flags = {}
        for name, kind in (("bridging", BRIDGING), ("linking", LINKING)):
            has = np.zeros(self.size, dtype=bool)
            of_kind = self.type == kind
            has[self.low[of_kind]] = True
            has[self.high[of_kind]] = True
            flags[name] = has
        nodes = pl.DataFrame({"combo": self.combo, "code": self.code, **flags})
        return nodes.join(self.combos, on="combo").drop("combo")

    def components(self) -> pl.DataFrame:
        """Per combination of the keys: connected people, components, the largest one's size."""
        import numpy as np
        import polars as pl
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
        from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

        if self.size:
            edges = np.ones(self.low.size, dtype=np.int8)
            graph = csr_matrix((edges, (self.low, self.high)), shape=(self.size, self.size))
            found, labels = connected_components(graph, directed=False)
            combo = np.zeros(found, dtype=np.int64)
            combo[labels] = self.combo
            sizes = np.bincount(labels, minlength=found)
        else:
            combo = sizes = np.zeros(0, dtype=np.int64)
        totals = (
            pl.DataFrame({"combo": combo, "size": sizes})
            .group_by("combo")
            .agg(
                pl.col("size").sum().cast(pl.Int64).alias("connected"),
                pl.len().cast(pl.Int64).alias("components"),
                pl.col("size").max().cast(pl.Int64).alias("largest"),
            )
        )
        return totals.join(self.combos, on="combo").select(
            *self.keys, "connected", "components", "largest"
        )


class Networks:
    """Ties between people by kind, the E-I index, and who is connected to whom.

    A tie is counted once per unordered pair of people, however many times it is recorded and
    in whichever direction. A tie between a person whose ``role`` is one of the
    ``institutional_roles`` and one whose role is not is *linking*; any other tie is *bonding*
    when both people have the same ``group`` and *bridging* otherwise. The E-I index is
    (bridging - bonding) / (bridging + bonding), from -1 (every tie within groups) to +1 (every
    tie across them); linking ties are left out of it, and it is left out when there are no
    bonding or bridging ties.

    Results broken down by a ``people`` field (``by``) are person-level only: ``people``,
    ``connected-people``, ``people-with-bridging-tie`` and ``people-with-linking-tie``, each
    counting the people of that group. By period (from the ties' ``date``), ties of the period
    only are counted; ``people`` is then the whole of ``people`` in every period.

    Invalid rows: a tie without both people, a tie from a person to themself, a tie to a person
    not in ``people``; a person without an id or group, a person listed a second time.

    >>> import polars as pl
    >>> from socialcouncil import Council
    >>> from socialcouncil.measurement import MeasurementContext
    >>> ties = pl.LazyFrame({"_row": [2, 3, 4], "from": ["ann", "bob", "bob"],
    ...     "to": ["bob", "ann", "cat"]})
    >>> people = pl.LazyFrame({"_row": [2, 3, 4], "person": ["ann", "bob", "cat"],
    ...     "group": ["north", "north", "south"]})
    >>> context = MeasurementContext(council=Council(name="Demo"),
    ...     tables={"ties": ties, "people": people})
    >>> out = Networks().compute(context, [])
    >>> dict(out.select("indicator", "value").iter_rows())["ei-index"]
    0.0
    """

    name: ClassVar[str] = "networks"
    description: ClassVar[str] = (
        "Bonding, bridging and linking ties between people, and how connected people are."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "ties": (
            Field("from", "string", description="One person in the tie (a person in people)."),
            Field("to", "string", description="The other person in the tie."),
            Field("date", "date", required=False, description="When the tie was recorded."),
        ),
        "people": (
            Field("person", "string", description="The person's id, once each."),
            Field("group", "string", description="The group the person belongs to."),
            Field(
                "role",
                "string",
                required=False,
                description="The person's role; linking ties cross into institutional roles.",
            ),
        ),
    }
    person_fields: ClassVar[Mapping[str, str]] = {"people": "person"}
    """The input the ``by`` fields are columns of, with the field that names its people."""
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "institutional_roles",
            "The roles held with institutional power, such as officer and councillor.",
            default=(),
        ),
    )
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "ties",
            "count",
            "ties",
            people=False,
            description="Distinct ties between two people (dimension type).",
        ),
        Indicator(
            "ei-index",
            "index",
            "E-I index",
            people=False,
            description="(bridging - bonding) / (bridging + bonding), from -1 to +1.",
        ),
        Indicator("people", "count", "people", people=True, description="The people listed."),
        Indicator(
            "connected-people",
            "count",
            "people",
            people=True,
            description="The people with at least one tie.",
        ),
        Indicator(
            "people-with-bridging-tie",
            "count",
            "people",
            people=True,
            description="The people with at least one bridging tie.",
        ),
        Indicator(
            "people-with-linking-tie",
            "count",
            "people",
            people=True,
            description="The people with at least one linking tie.",
        ),
        Indicator(
            "components",
            "count",
            "components",
            people=True,
            description="The connected components among connected people.",
        ),
        Indicator(
            "largest-component-share",
            "percent",
            "percent",
            people=True,
            description="The percentage of connected people in the largest component.",
        ),
    )
    headline: ClassVar[str] = "ei-index"

    def __init__(self, **options: object) -> None:
        frames.check_options(self.name, self.options, options)
        roles = options.get("institutional_roles", ())
        if isinstance(roles, str) or not isinstance(roles, (list, tuple)):
            raise InvalidValueError("institutional_roles", roles, "a list of roles")
        if not all(isinstance(role, str) for role in roles):
            raise InvalidValueError("institutional_roles", roles, "a list of roles (text)")
        self.institutional_roles: tuple[str, ...] = tuple(roles)

    def invalid_rows(self, context: MeasurementContext) -> nw.LazyFrame[Any]:
        """Ties without both people, to oneself or to someone not listed; bad people rows."""
        import narwhals as nw

        from socialcouncil.sources import ROW

        ties, people = frames.table(context, "ties"), frames.table(context, "people")
        rules: list[nw.LazyFrame[Any]] = []
        for field in ("person", "group"):
            rules.append(
                frames.invalid(
                    people,
                    "people",
                    field,
                    nw.col(field).is_null(),
                    nw.lit(f"found an empty cell, expected the person's {field}"),
                )
            )
        listed = people.filter(~nw.col("person").is_null())
        first = listed.group_by("person").agg(nw.col(ROW).min().alias("_first"))
        again = listed.join(first, on="person").filter(nw.col(ROW) > nw.col("_first"))
        rules.append(
            frames.invalid(
                again,
                "people",
                "person",
                None,
                nw.concat_str(
                    [
                        nw.lit("found "),
                        frames.shown(nw.col("person")),
                        nw.lit(" again (first in row "),
                        nw.col("_first").cast(nw.String),
                        nw.lit("), expected each person once"),
                    ]
                ),
            )
        )
        # A person whose own row is invalid (no group) is not one a tie can be counted to.
        known = (
            listed.filter(~nw.col("group").is_null())
            .select(nw.col("person").alias("_known"))
            .unique()
        )
        for field in ("from", "to"):
            end = nw.col(field)
            rules.append(
                frames.invalid(
                    ties,
                    "ties",
                    field,
                    end.is_null(),
                    nw.lit("found an empty cell, expected a person in people"),
                )
            )
            unknown = ties.filter(~end.is_null()).join(
                known, left_on=field, right_on="_known", how="anti"
            )
            rules.append(
                frames.invalid(
                    unknown,
                    "ties",
                    field,
                    None,
                    nw.concat_str(
                        [
                            nw.lit("found "),
                            frames.shown(end),
                            nw.lit(", expected a person in people, with a group"),
                        ]
                    ),
                )
            )
        rules.append(
            frames.invalid(
                ties,
                "ties",
                "to",
                nw.col("from") == nw.col("to"),
                nw.concat_str(
                    [
                        nw.lit("found "),
                        frames.shown(nw.col("to")),
                        nw.lit(", the same person as from, expected a tie between two people"),
                    ]
                ),
            )
        )
        return nw.concat(rules, how="vertical")

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The figures for each combination of the *keys*' values, as a long Polars frame.

        Keys that are columns of ``ties`` (such as ``period``) split the ties; keys that are
        columns of ``people`` break down the person-level indicators only.
        """
        import narwhals as nw
        import polars as pl

        from socialcouncil.sources import ROW

        ties, people = frames.table(context, "ties"), frames.table(context, "people")
        tie_columns = set(frames.columns(ties))
        tie_keys = [k for k in keys if k in tie_columns]
        person_keys = [k for k in keys if k not in tie_columns]
        people_columns = frames.columns(people)
        roles = list(self.institutional_roles)
        institutional = (
            nw.col("role").is_in(roles).fill_null(value=False)
            if "role" in people_columns and roles
            else nw.lit(value=False)
        )
        # Each person gets a number (0, 1, ...): from the joins on, ties are pairs of numbers,
        # which deduplicate, group and become a sparse graph faster than pairs of names.
        order = ROW if ROW in people_columns else "person"
        listed = people.with_row_index("code", order_by=order).select(
            nw.col("code").cast(nw.Int64),
            "person",
            "group",
            *person_keys,
            institutional.alias("inst"),
        )

        def end(side: str) -> nw.LazyFrame[Any]:
            return listed.select(
                nw.col("person").alias(side),
                nw.col("code").alias(f"code_{side}"),
                nw.col("group").alias(f"group_{side}"),
                nw.col("inst").alias(f"inst_{side}"),
            )

        one, other = nw.col("code_from"), nw.col("code_to")
        kind = (
            nw.when(nw.col("inst_from") != nw.col("inst_to"))
            .then(nw.lit(LINKING))
            .when(nw.col("group_from") == nw.col("group_to"))
            .then(nw.lit(BONDING))
            .otherwise(nw.lit(BRIDGING))
        )
        # A tie's kind is the same whichever way round it was recorded, so it is found before
        # the pair is put in order and deduplicated.
        classified = (
            ties.select(*tie_keys, "from", "to")
            .join(end("from"), on="from")
            .join(end("to"), on="to")
            .select(
                *tie_keys,
                nw.when(one < other).then(one).otherwise(other).alias("low"),
                nw.when(one < other).then(other).otherwise(one).alias("high"),
                kind.cast(nw.Int8).alias("type"),
            )
            .unique()
        )
        # Two small intermediates: the distinct, classified ties and the people's keys. The
        # joins, the classification and the deduplication run on the engine, while scipy
        # (a few tenths of a second to import) is imported beside them when the components
        # are wanted: not for a breakdown by a people field.
        scipy = _importing("scipy.sparse.csgraph") if not person_keys else contextlib.nullcontext()
        with scipy:
            distinct = frames.collect(classified)
            listed_keys = frames.collect(listed.select("code", *person_keys))
        graph = _TieGraph(distinct, tie_keys)
        flags = graph.people()
        if person_keys:
            flags = flags.join(listed_keys, on="code")
        group = [*person_keys, *tie_keys] or [frames.ALL]
        everyone = pl.lit(1).alias(frames.ALL)
        connected = flags.group_by(group).agg(
            pl.len().alias("connected"), pl.col("bridging").sum(), pl.col("linking").sum()
        )
        if person_keys:
            grid = listed_keys.group_by(person_keys).agg(pl.len().alias("people"))
        else:
            grid = pl.DataFrame({"people": [listed_keys.height]})
        if tie_keys:
            grid = grid.join(graph.combos.select(tie_keys), how="cross")
        elif not person_keys:
            grid = grid.with_columns(everyone)
        parts: list[pl.DataFrame] = []
        counts = grid.join(connected, on=group, how="left", nulls_equal=True).with_columns(
            pl.col("connected", "bridging", "linking").fill_null(0)
        )
        for indicator, column in (
            ("people", "people"),
            ("connected-people", "connected"),
            ("people-with-bridging-tie", "bridging"),
            ("people-with-linking-tie", "linking"),
        ):
            parts.append(frames.figures(counts, group, indicator, pl.col(column), pl.col(column)))
        if not person_keys:
            parts += self._tie_level(distinct, graph, group)
        return frames.stack(parts, group, ("type",)).drop(frames.ALL, strict=False)

    def _tie_level(
        self, distinct: pl.DataFrame, graph: _TieGraph, group: list[str]
    ) -> list[pl.DataFrame]:
        """Ties by type, the E-I index and the components, per combination of *tie_keys*."""
        import polars as pl

        tie_keys = [k for k in graph.keys if k != frames.ALL]
        typed = (
            distinct.group_by(tie_keys).agg(*self._typed())
            if tie_keys
            else distinct.select(*self._typed()).with_columns(pl.lit(1).alias(frames.ALL))
        )
        parts = [
            frames.figures(typed, group, "ties", pl.col(kind), pl.col(kind), {"type": pl.lit(kind)})
            for kind in TIE_TYPES
        ]
        within = pl.col("bridging") + pl.col("bonding")
        ei = pl.when(within > 0).then((pl.col("bridging") - pl.col("bonding")) / within)
        parts.append(frames.figures(typed, group, "ei-index", ei, within))
        found = graph.components()
        parts.append(
            frames.figures(found, group, "components", pl.col("components"), pl.col("connected"))
        )
        share = 100 * pl.col("largest") / pl.col("connected")
        parts.append(
            frames.figures(found, group, "largest-component-share", share, pl.col("connected"))
        )
        return parts

    @staticmethod
    def _typed() -> list[pl.Expr]:
        """How many ties are of each kind, one column per kind."""
        import polars as pl

        return [
            (pl.col("type") == code).sum().cast(pl.Int64).alias(kind)
            for code, kind in enumerate(TIE_TYPES)
        ]


@hookimpl
def register_measurement_models() -> list[type[Networks]]:
    """Register the networks model."""
    return [Networks]
