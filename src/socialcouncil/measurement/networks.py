"""The built-in ``networks`` model: bonding, bridging and linking ties between people.

Ties of trust and help are social capital (Szreter and Woolcock 2004): *bonding* within a group,
*bridging* across groups at the same level, and *linking* across gradients of power, between
people in institutional roles (officers, councillors) and residents. Because operationalisations
of these differ (Geys and Murdoch 2008), the grouping is the people's ``group`` and the
institutional roles are an option, both stated with the results. The E-I index is Krackhardt
and Stern's (1988).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames
from socialcouncil.model import InvalidValueError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw
    import polars as pl

    from socialcouncil.measurement import MeasurementContext

__all__ = ["TIE_TYPES", "Networks", "register_measurement_models"]

TIE_TYPES = ("bonding", "bridging", "linking")
"""The kinds of tie, in the order results list them."""


def components(pairs: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Per combination of *keys*: connected people, components and the largest one's size.

    *pairs* holds the distinct ties (columns ``low`` and ``high``) with the key columns; the
    people of each combination form their own graph, whose connected components scipy's
    ``csgraph`` finds in one call for every combination at once.
    """
    import numpy as np
    import polars as pl
    from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
    from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

    split = [k for k in keys if k != frames.ALL]

    def node(side: str) -> pl.Expr:
        # A person in one combination of the keys is one node; in another, another node.
        if not split:
            return pl.col(side)
        parts = [pl.col(k).cast(pl.String).fill_null("\x00") for k in split]
        return pl.concat_str([*parts, pl.col(side)], separator="\x1f")

    ends = pl.concat(
        [pairs.select(node("low")).to_series(), pairs.select(node("high")).to_series()]
    )
    # Categorical codes number the nodes without a join; codes of strings not in these ties
    # are nodes without ties, which are left out below.
    codes = ends.cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
    if codes.size == 0:
        empty = pairs.select(keys).clear()
        return empty.with_columns(
            pl.lit(0, pl.Int64).alias(c) for c in ("connected", "components", "largest")
        )
    size = int(codes.max()) + 1
    low, high = codes[: pairs.height], codes[pairs.height :]
    graph = coo_matrix((np.ones(low.size, dtype=np.int8), (low, high)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    present = np.zeros(size, dtype=bool)
    present[codes] = True
    people_in = np.bincount(labels[present], minlength=int(labels.max()) + 1)
    found = (
        pairs.select(keys)
        .with_columns(pl.Series("component", labels[low], dtype=pl.Int64))
        .unique()
    )
    found = found.with_columns(
        pl.Series("size", people_in[found["component"].to_numpy()], dtype=pl.Int64)
    )
    return found.group_by(keys).agg(
        pl.col("size").sum().alias("connected"),
        pl.len().alias("components"),
        pl.col("size").max().alias("largest"),
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

        ties, people = frames.table(context, "ties"), frames.table(context, "people")
        tie_columns = set(frames.columns(ties))
        tie_keys = [k for k in keys if k in tie_columns]
        person_keys = [k for k in keys if k not in tie_columns]
        roles = list(self.institutional_roles)
        has_role = "role" in frames.columns(people)
        institutional = (
            nw.col("role").is_in(roles).fill_null(value=False) if has_role and roles else None
        )
        listed = people.select(
            "person",
            "group",
            *person_keys,
            (institutional if institutional is not None else nw.lit(value=False)).alias("inst"),
        )
        a, b = nw.col("from"), nw.col("to")
        pairs = ties.select(
            *tie_keys,
            nw.when(a < b).then(a).otherwise(b).alias("low"),
            nw.when(a < b).then(b).otherwise(a).alias("high"),
        ).unique()
        ends = listed.select("person", "group", "inst")
        classified = (
            pairs.join(
                ends.rename({"person": "low", "group": "group_low", "inst": "inst_low"}), on="low"
            )
            .join(
                ends.rename({"person": "high", "group": "group_high", "inst": "inst_high"}),
                on="high",
            )
            .with_columns(
                nw.when(nw.col("inst_low") != nw.col("inst_high"))
                .then(nw.lit("linking"))
                .when(nw.col("group_low") == nw.col("group_high"))
                .then(nw.lit("bonding"))
                .otherwise(nw.lit("bridging"))
                .alias("type")
            )
        )
        # Two small intermediates: the distinct, classified ties and the people's keys. The
        # joins, the classification and the deduplication ran on the engine.
        distinct = frames.collect(classified.select(*tie_keys, "low", "high", "type"))
        listed_keys = frames.collect(listed.select("person", *person_keys))
        flags = (
            pl.concat(
                [
                    distinct.select(*tie_keys, pl.col(side).alias("person"), "type")
                    for side in ("low", "high")
                ]
            )
            .group_by(*tie_keys, "person")
            .agg(
                (pl.col("type") == "bridging").any().alias("bridging"),
                (pl.col("type") == "linking").any().alias("linking"),
            )
            .join(listed_keys, on="person")
        )
        group = [*person_keys, *tie_keys] or [frames.ALL]
        everyone = pl.lit(1).alias(frames.ALL)
        if group == [frames.ALL]:
            flags = flags.with_columns(everyone)
        connected = flags.group_by(group).agg(
            pl.len().alias("connected"), pl.col("bridging").sum(), pl.col("linking").sum()
        )
        if person_keys:
            grid = listed_keys.group_by(person_keys).agg(pl.len().alias("people"))
        else:
            grid = pl.DataFrame({"people": [listed_keys.height]})
        if tie_keys:
            grid = grid.join(distinct.select(*tie_keys).unique(), how="cross")
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
            parts += self._tie_level(distinct, tie_keys, group)
        return frames.stack(parts, group, ("type",)).drop(frames.ALL, strict=False)

    def _tie_level(
        self, distinct: pl.DataFrame, tie_keys: list[str], group: list[str]
    ) -> list[pl.DataFrame]:
        """Ties by type, the E-I index and the components, per combination of *tie_keys*."""
        import polars as pl

        if not tie_keys:
            distinct = distinct.with_columns(pl.lit(1).alias(frames.ALL))
        typed = distinct.group_by(group).agg(
            *((pl.col("type") == kind).sum().cast(pl.Int64).alias(kind) for kind in TIE_TYPES)
        )
        if not tie_keys and typed.is_empty():
            typed = pl.DataFrame({frames.ALL: [1], **{kind: [0] for kind in TIE_TYPES}})
        parts = [
            frames.figures(typed, group, "ties", pl.col(kind), pl.col(kind), {"type": pl.lit(kind)})
            for kind in TIE_TYPES
        ]
        within = pl.col("bridging") + pl.col("bonding")
        ei = pl.when(within > 0).then((pl.col("bridging") - pl.col("bonding")) / within)
        parts.append(frames.figures(typed, group, "ei-index", ei, within))
        found = components(distinct.select(*group, "low", "high"), group)
        parts.append(
            frames.figures(found, group, "components", pl.col("components"), pl.col("connected"))
        )
        share = 100 * pl.col("largest") / pl.col("connected")
        parts.append(
            frames.figures(found, group, "largest-component-share", share, pl.col("connected"))
        )
        return parts


@hookimpl
def register_measurement_models() -> list[type[Networks]]:
    """Register the networks model."""
    return [Networks]
