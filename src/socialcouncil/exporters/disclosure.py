"""Disclosure control: the one place where results become figures that are safe to publish.

:func:`disclose` applies a council's :class:`~socialcouncil.PublishingSettings` to its results,
so that no published figure, and no figure worked out from published ones, stands on fewer
people than ``suppress_below``. It runs before every exporter whose output leaves the council;
exporters never see the values it takes away. The figures of the runs a history store kept go
through it too, each run on its own, under the council's settings of today, before they are
shown as trends.

Only figures that stand on people (``people=True``) are controlled. Figures that count records,
such as ties, exchanges or projects, are published as they were measured.

Primary suppression
    A figure is suppressed when its ``n`` is unknown or below ``suppress_below``; a percent also
    when the count of people it implies (``value * n / 100``) is below it, unless that count is
    zero. A count of zero people is published as ``0``, as NHS England and the Government
    Statistical Service publish it: an empty group reveals nobody.

Secondary suppression
    Within one measure and indicator, a *family* is the figures that share every dimension but
    one key (every value of that key) together with their *parent*, the figure without the key
    and the rest the same: the wards of one period with the period's total, say. Parent and
    members make one equation (the parent is the members' sum), so a suppressed figure must
    never be its only unknown. Where the parent is published and exactly one member is
    suppressed, or the suppressed members together stand on fewer than ``suppress_below``
    people, the next smallest published member is suppressed too (ties broken by the
    dimensions' values, so the result never depends on the order of the results). Where the
    parent is suppressed and every member published, the smallest member is suppressed, as the
    parent would otherwise be their sum. Where no member is left to suppress, the parent is.
    Percents that share one whole (bands summing to 100) are a family whose parent is 100, and
    always published. A family's parent may also be any coarser breakdown that was measured
    (each ward's figure for the cells of ward by age by sex). Figures of one measure and
    breakdown that stand on the same ``n`` (a ward's respondents as a count and as the n of
    its mean) share it: once a count or mean among them is suppressed, all of them are, so
    the hidden count is not published as another's n. This repeats over every family until
    nothing changes; a suppressed figure loses its ``n`` too, since the ``n`` is itself a
    count of people.

Audit
    Families that share suppressed figures (the wards of each period and the periods of each
    ward, in a two-way table) can together reveal a figure that none reveals alone. The
    families' equations are solved together, and a suppressed figure that they determine
    exactly takes the smallest published figure beside it with it, until none is determined.

Across runs
    In a trend of one figure per run, :func:`disclose_runs` suppresses a figure whose people
    (its ``n``; a count's value; the count a percent implies) differ by more than none and fewer
    than ``suppress_below`` from those of any figure of the trend published before it, so that
    two runs' figures never give away the few people between them. The report's own
    measurement, the latest point, is kept; the earlier figures too close to it go instead.

Rounding
    With ``round_to``, every published count of people and every ``n`` of a figure about people
    is rounded to the nearest multiple (halves up); a percent is worked out again from its
    rounded count and rounded ``n``; a mean or an index keeps its value. Such figures have
    :attr:`~socialcouncil.Figure.rounded` set.

>>> from socialcouncil import PublishingSettings, Result
>>> from socialcouncil.exporters.disclosure import disclose
>>> wards = [Result("survey", "respondents", n, {"ward": w}, people=True, measure="m", n=n,
...                 kind="count") for w, n in [("Elmdon", 30), ("Knowle", 7), ("Olton", 31)]]
>>> total = Result("survey", "respondents", 68, people=True, measure="m", n=68, kind="count")
>>> for f in disclose([total, *wards], PublishingSettings()):
...     print(f.dimensions.get("ward", "all"), f.value, f.suppressed)
all 68.0 None
Elmdon None secondary
Knowle None primary
Olton 31.0 None
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import attrs

from socialcouncil.exporters import Figure

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socialcouncil.exporters import Suppression
    from socialcouncil.measurement import Result
    from socialcouncil.model import PublishingSettings

__all__ = ["disclose", "disclose_count", "disclose_runs"]

# Percents of one whole sum to 100 up to floating-point error in the shares a model computes.
_WHOLE = 100.0
_WHOLE_TOLERANCE = 0.01
# How close to whole a figure's share of the equations' row space must be to count as revealed:
# the coefficients are 0 and 1, so a share that is not whole is far from it.
_TOLERANCE = 1e-8
# A count implied by a percent is a whole number of people up to floating-point error.
_IMPLIED_DIGITS = 6

_Identity = tuple[str, str, str, frozenset[tuple[str, str]]]
# A family: measure, model, indicator, the key its members differ in, the dimensions they share.
_FamilyKey = tuple[str, str, str, str, tuple[tuple[str, str], ...]]


def disclose(results: Sequence[Result], settings: PublishingSettings) -> tuple[Figure, ...]:
    """The figures of *results* as they may be published under *settings*.

    One :class:`~socialcouncil.Figure` for each result, in the same order: as measured where
    it is safe, with ``value`` and ``n`` of ``None`` and :attr:`~socialcouncil.Figure.suppressed`
    saying why where it is not, and rounded where *settings* asks for rounding. The module's
    documentation gives the rules.

    Args:
        results: the results of a measurement, such as
            :attr:`Measurement.results <socialcouncil.Measurement.results>`.
        settings: the council's ``[publishing]`` settings.
    """
    figures = [Figure.of(result) for result in results]
    threshold = settings.suppress_below
    state: list[Suppression | None] = [_primary(f, threshold) for f in figures]
    families = _families(figures)
    twins = _twins(figures)
    while True:
        changed = True
        while changed:
            changed = False
            for family in families:
                for index in family.to_suppress(figures, state, threshold):
                    state[index] = "secondary"
                    changed = True
            for group in twins:
                # A suppressed count or mean hides its n; a percent hidden for the few people
                # it implies does not, its n is safe to give.
                if any(state[i] is not None and figures[i].kind != "percent" for i in group):
                    for index in group:
                        if state[index] is None:
                            state[index] = "secondary"
                            changed = True
        # Each family is safe on its own; the audit finds figures that several families
        # together still give away, and the figures to suppress beside them, until none is.
        more = _audit(figures, state, families)
        if not more:
            break
        for index in more:
            state[index] = "secondary"
    return tuple(
        _published(figure, reason, settings.round_to)
        for figure, reason in zip(figures, state, strict=True)
    )


def disclose_count(count: int | None, settings: PublishingSettings) -> int | None:
    """A count of rows that may stand for people, as it may be published under *settings*.

    The rows of a survey are its respondents, so the rows a source holds and the rows left out
    as invalid are published by the rule for counts of people: ``None`` (shown ``[c]``) for
    fewer than ``suppress_below`` but more than none, rounded with ``round_to``.

    >>> from socialcouncil import PublishingSettings
    >>> from socialcouncil.exporters.disclosure import disclose_count
    >>> [disclose_count(n, PublishingSettings(round_to=5)) for n in (0, 7, 1198)]
    [0, None, 1200]
    """
    if count is None or 0 < count < settings.suppress_below:
        return None
    if settings.round_to is None:
        return count
    return _round(count, settings.round_to)


def disclose_runs(
    measured: Sequence[Result],
    published: Sequence[Figure],
    settings: PublishingSettings,
    *,
    shown_latest: bool = False,
) -> tuple[Figure, ...]:
    """The points of one trend of one figure per run, safe from differencing between runs.

    *measured* are the trend's results, oldest run first, and *published* the same figures as
    :func:`disclose` publishes each in its own run. Two published figures of one trend whose
    people differ by more than none and fewer than ``suppress_below`` give away those few
    people: a mean of 3.2 on 30 and of 3.3 on 31 is the 31st person's answer. So a figure is
    suppressed (``"secondary"``) where its ``n``, or for a count of people its value, or for a
    percent the count of people it implies, differs by more than none and fewer than
    ``suppress_below`` from that of any figure of the trend published before it: comparing with
    every published figure, not the one before alone, so that small steps cannot be summed.
    Figures compare as measured, before rounding. Figures that do not stand on people are
    published as they are.

    With *shown_latest*, the latest figure is published elsewhere as it is (it is the report's
    own measurement, shown with its measure), so it is kept, and it is the earlier published
    figures too close to it that are suppressed.

    >>> from socialcouncil import PublishingSettings, Result
    >>> from socialcouncil.exporters.disclosure import disclose, disclose_runs
    >>> runs = [Result("swemwbs", "mean", v, people=True, measure="m", n=n, kind="mean")
    ...         for v, n in [(3.2, 30), (3.3, 31), (3.1, 45)]]
    >>> published = [f for r in runs for f in disclose([r], PublishingSettings())]
    >>> [f.value for f in disclose_runs(runs, published, PublishingSettings())]
    [3.2, None, 3.1]
    """
    figures = list(published)
    if not figures or not figures[0].people:
        return tuple(figures)
    threshold = settings.suppress_below
    sizes = [_sizes(Figure.of(result)) for result in measured]

    def apart(one: int, other: int) -> bool:
        return all(
            a is None or b is None or _far(a, b, threshold)
            for a, b in zip(sizes[one], sizes[other], strict=True)
        )

    latest = len(figures) - 1 if shown_latest else None
    kept: list[int] = []
    for index, figure in enumerate(figures):
        if index == latest or figure.value is None:
            continue
        if all(apart(index, other) for other in kept):
            kept.append(index)
        else:
            figures[index] = _withheld(figure)
    if latest is not None and figures[latest].value is not None:
        for other in kept:
            if not apart(latest, other):
                figures[other] = _withheld(figures[other])
    return tuple(figures)


def _sizes(figure: Figure) -> tuple[float | None, float | None, float | None]:
    """The counts of people a figure shows: n, a count's value, the count a percent implies."""
    value = figure.value if _counts_people(figure) else None
    implied = _implied(figure) if figure.kind == "percent" else None
    return (None if figure.n is None else float(figure.n), value, implied)


def _far(one: float, other: float, threshold: int) -> bool:
    """Whether two counts of people are the same or at least *threshold* apart."""
    apart = round(abs(one - other), _IMPLIED_DIGITS)
    return apart == 0 or apart >= threshold


def _withheld(figure: Figure) -> Figure:
    return attrs.evolve(figure, value=None, n=None, suppressed="secondary", rounded=False)


def _implied(figure: Figure) -> float:
    """The count of people a percent stands for."""
    if figure.n is None or figure.value is None:
        return 0.0
    return round(figure.value * figure.n / _WHOLE, _IMPLIED_DIGITS)


def _is_zero_count(figure: Figure) -> bool:
    return figure.kind == "count" and figure.value == 0


def _primary(figure: Figure, threshold: int) -> Suppression | None:
    if not figure.people or _is_zero_count(figure):
        return None
    if figure.n is None or figure.n < threshold:
        return "primary"
    if figure.kind == "percent":
        implied = _implied(figure)
        if implied != 0 and implied < threshold:
            return "primary"
    return None


def _size(figure: Figure) -> float:
    """How many people a figure stands on, for choosing which to suppress and for totals."""
    if figure.kind == "percent":
        return _implied(figure)
    return 0.0 if figure.n is None else float(figure.n)


def _order(figure: Figure) -> tuple[bool, float, tuple[tuple[str, str], ...], float, int]:
    """Smallest first, a zero last (it protects nothing), then by dimensions: deterministic."""
    size = _size(figure)
    return (
        size == 0,
        size,
        tuple(sorted(figure.dimensions.items())),
        0.0 if figure.value is None else figure.value,
        0 if figure.n is None else figure.n,
    )


def _identity(figure: Figure, dimensions: frozenset[tuple[str, str]]) -> _Identity:
    return (figure.measure or "", figure.model, figure.indicator, dimensions)


@attrs.frozen
class _Family:
    """The members sharing every dimension but one key, and their parent(s) without it."""

    members: tuple[int, ...]
    parents: tuple[int, ...]

    def to_suppress(
        self, figures: Sequence[Figure], state: Sequence[Suppression | None], threshold: int
    ) -> tuple[int, ...]:
        suppressed = [i for i in self.members if state[i] is not None]
        published = sorted(
            (i for i in self.members if state[i] is None), key=lambda i: _order(figures[i])
        )
        # No parent figure: percents of one whole have 100 as their published parent.
        parent_published = not self.parents or any(state[i] is None for i in self.parents)
        if not parent_published:
            # The parent is unknown: a published set of members would give it as their sum.
            return (published[0],) if not suppressed and published else ()
        if not suppressed:
            return ()
        total = sum(_size(figures[i]) for i in suppressed)
        if len(suppressed) > 1 and total >= threshold:
            return ()
        if published:
            return (published[0],)
        return tuple(i for i in self.parents if state[i] is None)


def _families(figures: Sequence[Figure]) -> tuple[_Family, ...]:
    """Every family: members with one set of keys, against each coarser figure that exists.

    A member's parents are the figures without one of its keys (or, for percents of one
    whole, 100), and every coarser breakdown that was measured: the cells of ward by age by sex
    add up to each ward's figure even where ward by age was not measured.
    """
    by_identity: dict[_Identity, list[int]] = defaultdict(list)
    key_sets: dict[tuple[str, str, str], set[frozenset[str]]] = defaultdict(set)
    for index, figure in enumerate(figures):
        if figure.people:
            by_identity[_identity(figure, frozenset(figure.dimensions.items()))].append(index)
            key_sets[figure.measure or "", figure.model, figure.indicator].add(
                frozenset(figure.dimensions)
            )
    grouped: dict[tuple[_FamilyKey, frozenset[str]], list[int]] = defaultdict(list)
    for index, figure in enumerate(figures):
        if not figure.people:
            continue
        keys = frozenset(figure.dimensions)
        measured = key_sets[figure.measure or "", figure.model, figure.indicator]
        coarser = {keys - {key} for key in keys} | {k for k in measured if k < keys}
        for kept in coarser:
            rest = tuple(sorted((k, v) for k, v in figure.dimensions.items() if k in kept))
            dropped = ",".join(sorted(keys - kept))
            family = (figure.measure or "", figure.model, figure.indicator, dropped, rest)
            grouped[family, keys].append(index)
    families: list[_Family] = []
    for ((measure, model, indicator, dropped, rest), _keys), members in sorted(
        grouped.items(), key=lambda item: (item[0][0], sorted(item[0][1]))
    ):
        parents = by_identity.get((measure, model, indicator, frozenset(rest)), [])
        one_key = "," not in dropped
        if not parents and not (one_key and _one_whole([figures[i] for i in members])):
            continue
        families.append(_Family(tuple(members), tuple(parents)))
    return tuple(families)


def _twins(figures: Sequence[Figure]) -> tuple[tuple[int, ...], ...]:
    """The groups of figures of one measure and breakdown that stand on the same ``n``.

    Their ``n`` is one count of people published beside each (the respondents of a ward, say,
    as a count and as the n of its mean), so once it is hidden in one it is hidden in all: a
    count suppressed in one indicator must not be published as the n of another.
    """
    grouped: dict[tuple[str, frozenset[tuple[str, str]], int], list[int]] = defaultdict(list)
    for index, figure in enumerate(figures):
        if figure.people and figure.n is not None:
            key = (figure.measure or "", frozenset(figure.dimensions.items()), figure.n)
            grouped[key].append(index)
    return tuple(tuple(members) for members in grouped.values() if len(members) > 1)


def _audit(
    figures: Sequence[Figure], state: Sequence[Suppression | None], families: Sequence[_Family]
) -> set[int]:
    """Published figures to suppress because families together reveal suppressed ones.

    Every family is an equation between its figures (the parent is the members' sum; percents
    of one whole sum to 100), and the suppressed figures are its unknowns. A suppressed figure
    is revealed exactly when every solution of those equations gives it the same value: when
    no vector of the equations' null space moves it. Each group of families linked by their
    unknowns is solved on its own; a group of one family is safe already (see
    :meth:`_Family.to_suppress`).
    """
    rows = [
        [i for i in (*family.members, *family.parents) if state[i] is not None]
        for family in families
    ]
    revealed: list[int] = []
    for group in _linked(rows):
        if len(group) < 2:
            continue
        revealed += _revealed(families, group, state)
    # For each revealed figure, the smallest published figure in an equation with it.
    chosen: set[int] = set()
    for exposed in sorted(revealed, key=lambda i: _order(figures[i])):
        around = {
            i
            for family in families
            if exposed in family.members or exposed in family.parents
            for i in (*family.members, *family.parents)
            if state[i] is None
        }
        if around and not around & chosen:
            chosen.add(min(around, key=lambda i: _order(figures[i])))
    return chosen


def _linked(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """The families (by position) in groups that share suppressed figures."""
    owner: dict[int, int] = {}
    parent = list(range(len(rows)))

    def root(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for r, unknowns in enumerate(rows):
        for i in unknowns:
            if i in owner:
                parent[root(r)] = root(owner[i])
            else:
                owner[i] = r
    groups: dict[int, list[int]] = defaultdict(list)
    for r, unknowns in enumerate(rows):
        if unknowns:
            groups[root(r)].append(r)
    return sorted(groups.values())


def _revealed(
    families: Sequence[_Family], group: Sequence[int], state: Sequence[Suppression | None]
) -> list[int]:
    import numpy as np  # with scipy, a dependency of the package; loaded only for this

    unknowns = sorted(
        {
            i
            for r in group
            for i in (*families[r].members, *families[r].parents)
            if state[i] is not None
        }
    )
    column = {index: c for c, index in enumerate(unknowns)}
    matrix = np.zeros((len(group), len(unknowns)))
    for row, r in enumerate(group):
        for i in families[r].parents:
            if state[i] is not None:
                matrix[row, column[i]] += 1.0
        for i in families[r].members:
            if state[i] is not None:
                matrix[row, column[i]] -= 1.0
    # A figure is revealed when its unit vector lies in the equations' row space: when an
    # orthonormal basis of that space holds all of it. The basis comes from the eigenvectors
    # of the small square matrix A·Aᵀ (one row and column per equation), far quicker than a
    # singular value decomposition of A itself, which has a column per suppressed figure.
    gram = matrix @ matrix.T
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    largest = float(eigenvalues.max()) if eigenvalues.size else 0.0
    kept = eigenvalues > max(matrix.shape) * np.finfo(float).eps * max(largest, 1.0)
    basis = (eigenvectors[:, kept].T @ matrix) / np.sqrt(eigenvalues[kept])[:, None]
    held = (basis**2).sum(axis=0)
    return [index for index, share in zip(unknowns, held, strict=True) if share > 1 - _TOLERANCE]


def _one_whole(members: Sequence[Figure]) -> bool:
    """Whether *members* are percents sharing one whole: shares that add up to 100."""
    if not all(f.kind == "percent" and f.value is not None for f in members):
        return False
    return math.isclose(
        sum(f.value or 0.0 for f in members), _WHOLE, rel_tol=0, abs_tol=_WHOLE_TOLERANCE
    )


def _round(number: float, step: int) -> int:
    """*number* to the nearest multiple of *step*, halves up."""
    return math.floor(number / step + 0.5) * step


def _counts_people(figure: Figure) -> bool:
    """Whether a count's value is a number of people (a count of components is not)."""
    return figure.kind == "count" and figure.unit in {None, "people"}


def _published(figure: Figure, reason: Suppression | None, step: int | None) -> Figure:
    if reason is not None:
        return attrs.evolve(figure, value=None, n=None, suppressed=reason)
    if step is None or not figure.people:
        return figure
    n = None if figure.n is None else _round(figure.n, step)
    value = figure.value
    if value is not None and _counts_people(figure):
        value = float(_round(value, step))
    elif value is not None and figure.kind == "percent" and n:
        value = _round(_implied(figure), step) / n * _WHOLE
    return attrs.evolve(figure, value=value, n=n, rounded=True)
