"""Disclosure control: which figures are published, suppressed or rounded, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil import Figure, PublishingSettings, Result
from socialcouncil.exporters.disclosure import disclose
from socialcouncil.model import InvalidValueError

if TYPE_CHECKING:
    import random
    from collections.abc import Iterable, Mapping, Sequence

TEN = PublishingSettings()
NHS = PublishingSettings(suppress_below=8, round_to=5)


def count(
    n: int | None,
    indicator: str = "respondents",
    measure: str = "wellbeing",
    **dimensions: str,
) -> Result:
    value = 0 if n is None else n
    return Result(
        "survey", indicator, value, dimensions, people=True, measure=measure, n=n, kind="count"
    )


def mean(value: float, n: int | None, **dimensions: str) -> Result:
    return Result(
        "survey", "mean-score", value, dimensions, people=True, measure="wellbeing", n=n,
        kind="mean",
    )  # fmt: skip


def percent(value: float, n: int | None, indicator: str = "band-share", **dims: str) -> Result:
    return Result(
        "survey", indicator, value, dims, people=True, measure="wellbeing", n=n, kind="percent"
    )


def records(value: float, n: int | None, **dimensions: str) -> Result:
    return Result(
        "timebank", "exchanges", value, dimensions, people=False, measure="timebank", n=n,
        kind="count",
    )  # fmt: skip


def shown(figures: Iterable[Figure]) -> list[tuple[dict[str, str], float | None, str | None]]:
    return [(dict(f.dimensions), f.value, f.suppressed) for f in figures]


# -- worked examples ---------------------------------------------------------------------------


def test_a_ward_of_seven_beside_wards_of_thirty_takes_a_second_ward_with_it() -> None:
    wards = [count(30, ward="Elmdon"), count(7, ward="Knowle"), count(30, ward="Blythe")]
    figures = disclose([count(67), *wards], TEN)
    # The total and two wards would give Knowle's 7; the smaller of the ties goes by name.
    assert shown(figures) == [
        ({}, 67.0, None),
        ({"ward": "Elmdon"}, 30.0, None),
        ({"ward": "Knowle"}, None, "primary"),
        ({"ward": "Blythe"}, None, "secondary"),
    ]
    assert [f.n for f in figures] == [67, 30, None, None]


def test_without_a_published_total_one_suppressed_ward_is_enough() -> None:
    figures = disclose([count(30, ward="Elmdon"), count(7, ward="Knowle")], TEN)
    assert [f.suppressed for f in figures] == [None, "primary"]


def test_a_suppressed_total_does_not_protect_a_lone_ward() -> None:
    # With the total suppressed, both wards published would give it as their sum.
    figures = disclose([count(9), count(5, ward="Elmdon"), count(4, ward="Knowle")], TEN)
    assert [f.suppressed for f in figures] == ["primary", "primary", "primary"]


def test_suppressed_members_standing_on_too_few_people_together_take_a_third() -> None:
    wards = {"Elmdon": 3, "Knowle": 4, "Olton": 12, "Lyndon": 40}
    figures = disclose([count(59), *(count(n, ward=w) for w, n in wards.items())], TEN)
    # Knowle and Elmdon stand on 7 together: the total less Olton and Lyndon would give that.
    assert [f.suppressed for f in figures] == [None, "primary", "primary", "secondary", None]


def test_a_two_way_breakdown_is_safe_along_both_keys() -> None:
    cells = {
        ("Elmdon", "2024"): 20, ("Elmdon", "2025"): 25,
        ("Knowle", "2024"): 6, ("Knowle", "2025"): 30,
        ("Olton", "2024"): 22, ("Olton", "2025"): 28,
    }  # fmt: skip
    results = [count(sum(cells.values()))]
    for ward in ("Elmdon", "Knowle", "Olton"):
        results.append(count(sum(n for (w, _), n in cells.items() if w == ward), ward=ward))
    for period in ("2024", "2025"):
        results.append(count(sum(n for (_, p), n in cells.items() if p == period), period=period))
    results += [count(n, ward=w, period=p) for (w, p), n in cells.items()]
    figures = {tuple(sorted(f.dimensions.items())): f for f in disclose(results, TEN)}

    def state(**dims: str) -> str | None:
        return figures[tuple(sorted(dims.items()))].suppressed

    assert state(ward="Knowle", period="2024") == "primary"
    # Across Knowle's periods, 2025 goes with it; across the wards of 2024, Elmdon (20); then
    # Knowle's 2025 stands alone among 2025's wards, and Elmdon's 25 goes: a closed square.
    assert state(ward="Elmdon", period="2024") == "secondary"
    assert state(ward="Knowle", period="2025") == "secondary"
    assert state(ward="Elmdon", period="2025") == "secondary"
    assert state(ward="Olton", period="2024") is None
    assert state(ward="Olton", period="2025") is None
    assert all(state(**d) is None for d in ({}, {"ward": "Olton"}, {"period": "2024"}))


def test_percent_bands_of_one_whole_are_treated_as_a_family_of_100() -> None:
    bands = {"low": 4.0, "medium": 24.0, "high": 42.0, "very-high": 30.0}
    figures = disclose([percent(share, 50, band=band) for band, share in bands.items()], TEN)
    # low is 2 people of 50: suppressed; 100 less the rest would give it, so medium (12) goes.
    assert shown(figures) == [
        ({"band": "low"}, None, "primary"),
        ({"band": "medium"}, None, "secondary"),
        ({"band": "high"}, 42.0, None),
        ({"band": "very-high"}, 30.0, None),
    ]


def test_a_percent_is_suppressed_on_its_n_or_on_the_count_it_implies() -> None:
    figures = disclose(
        [
            percent(50.0, 8, "reciprocity"),
            percent(10.0, 50, "repeat-share"),
            percent(20.0, 50, "depth"),
            percent(0.0, 50, "none-share"),
            percent(0.0, 6, "empty-share"),
        ],
        TEN,
    )
    assert [f.suppressed for f in figures] == ["primary", "primary", None, None, "primary"]


def test_means_and_indices_suppress_on_their_n() -> None:
    figures = disclose([mean(22.4, 9), mean(22.4, 10), mean(22.4, None)], TEN)
    assert [f.suppressed for f in figures] == ["primary", None, "primary"]
    assert figures[1].value == 22.4


def test_a_zero_count_of_people_is_published_as_zero() -> None:
    figures = disclose([count(0, ward="Elmdon"), count(3, ward="Knowle")], TEN)
    assert shown(figures) == [
        ({"ward": "Elmdon"}, 0.0, None),
        ({"ward": "Knowle"}, None, "primary"),
    ]


def test_a_zero_is_the_last_figure_chosen_to_protect_another() -> None:
    wards = [count(0, ward="Elmdon"), count(7, ward="Knowle"), count(40, ward="Olton")]
    figures = disclose([count(47), *wards], TEN)
    assert [f.suppressed for f in figures] == [None, None, "primary", "secondary"]


def test_records_figures_are_published_as_they_are() -> None:
    results = [records(3, 3), records(2.5, None, period="2025-01"), records(7, 7, period="2025-02")]
    figures = disclose(results, NHS)
    assert figures == tuple(Figure.of(r) for r in results)


def test_nhs_settings_suppress_one_to_seven_and_round_the_rest_to_five() -> None:
    figures = disclose([count(n, ward=f"w{n}") for n in (0, 3, 7, 8, 12, 13, 1000)], NHS)
    assert [f.value for f in figures] == [0.0, None, None, 10.0, 10.0, 15.0, 1000.0]
    assert [f.n for f in figures] == [0, None, None, 10, 10, 15, 1000]
    assert [f.rounded for f in figures] == [True, False, False, True, True, True, True]


def test_rounding_to_five_works_percents_out_of_the_rounded_counts() -> None:
    settings = PublishingSettings(round_to=5)
    # 13 of 42 people: 13 -> 15 and 42 -> 40, so 37.5%, not the measured 30.95%.
    (figure,) = disclose([percent(13 / 42 * 100, 42, "repeat-share")], settings)
    assert figure.value == pytest.approx(37.5)
    assert figure.n == 40
    assert figure.rounded


def test_rounding_keeps_a_means_value_and_rounds_its_n() -> None:
    (figure,) = disclose([mean(22.37, 1078)], PublishingSettings(round_to=5))
    assert (figure.value, figure.n, figure.rounded) == (22.37, 1080, True)


def test_rounding_is_half_up() -> None:
    settings = PublishingSettings(round_to=10)
    figures = disclose([count(n, ward=str(n)) for n in (15, 25, 14)], settings)
    assert [f.value for f in figures] == [20.0, 30.0, 10.0]


def test_a_count_of_something_else_keeps_its_value_and_rounds_its_n() -> None:
    components = Result(
        "networks", "components", 1, people=True, measure="ties", n=326, kind="count",
        unit="components",
    )  # fmt: skip
    (figure,) = disclose([components], PublishingSettings(round_to=5))
    assert (figure.value, figure.n) == (1.0, 325)


def test_each_figure_keeps_its_place_and_what_it_is() -> None:
    results = [count(7, ward="Knowle"), records(1, 1), count(40, ward="Olton")]
    figures = disclose(results, TEN)
    assert [(f.measure, f.model, f.indicator, f.kind, f.people) for f in figures] == [
        (r.measure, r.model, r.indicator, r.kind, r.people) for r in results
    ]


def test_measures_and_indicators_are_families_of_their_own() -> None:
    results = [
        count(50),
        count(7, ward="Knowle"),
        count(43, ward="Olton"),
        count(50, measure="other"),
        count(43, measure="other", ward="Olton"),
    ]
    figures = disclose(results, TEN)
    # Olton of the other measure has no suppressed sibling.
    assert [f.suppressed for f in figures] == [None, "primary", "secondary", None, None]


def test_a_threshold_below_five_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="suppress_below"):
        PublishingSettings(suppress_below=4)


# -- properties --------------------------------------------------------------------------------

WARDS = ("Bickenhill", "Blythe", "Elmdon", "Knowle", "Olton")
PERIODS = ("2023", "2024", "2025")


@st.composite
def tables(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """A two-way table of counts of people, ward by period."""
    wards = draw(st.lists(st.sampled_from(WARDS), min_size=1, max_size=5, unique=True))
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True))
    return {(w, p): draw(st.integers(0, 40)) for w in wards for p in periods}


def with_margins(cells: Mapping[tuple[str, str], int]) -> list[Result]:
    """The cells as results, with each ward's, each period's and the grand total."""
    wards = sorted({w for w, _ in cells})
    periods = sorted({p for _, p in cells})
    results = [count(sum(cells.values()))]
    results += [
        count(sum(n for (w, _), n in cells.items() if w == ward), ward=ward) for ward in wards
    ]
    results += [
        count(sum(n for (_, p), n in cells.items() if p == period), period=period)
        for period in periods
    ]
    results += [count(n, ward=w, period=p) for (w, p), n in cells.items()]
    # A mean on the same people beside each count: means are controlled on their n too.
    results += [mean(20.0 + i, r.n, **r.dimensions) for i, r in enumerate(list(results))]
    return results


settings_ = st.builds(
    PublishingSettings,
    suppress_below=st.integers(5, 15),
    round_to=st.none(),
)


def key(figure: Figure) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (figure.indicator, tuple(sorted(figure.dimensions.items())))


def lines(
    figures: Sequence[Figure],
) -> list[tuple[Figure, list[Figure]]]:
    """Every total with the figures it is the sum of: the families of a two-way table."""
    by_key = {key(f): f for f in figures}
    found: list[tuple[Figure, list[Figure]]] = []
    for parent in figures:
        dims = dict(parent.dimensions)
        for missing in {"ward", "period"} - set(dims):
            members = [
                f
                for f in figures
                if f.indicator == parent.indicator
                and set(f.dimensions) == {*dims, missing}
                and all(f.dimensions[k] == v for k, v in dims.items())
            ]
            if members:
                found.append((by_key[key(parent)], members))
    return found


@given(tables(), settings_)
def test_every_figure_on_too_few_people_is_suppressed(
    cells: dict[tuple[str, str], int], settings: PublishingSettings
) -> None:
    results = with_margins(cells)
    for result, figure in zip(results, disclose(results, settings), strict=True):
        if result.n is not None and result.n < settings.suppress_below:
            zero_count = result.kind == "count" and result.value == 0
            # A zero is published, unless it is the only figure left to protect another.
            assert figure.suppressed in ({None, "secondary"} if zero_count else {"primary"})
        if figure.suppressed is not None:
            assert (figure.value, figure.n) == (None, None)


@given(tables(), settings_)
def test_no_suppressed_figure_can_be_worked_out_from_its_total_and_siblings(
    cells: dict[tuple[str, str], int], settings: PublishingSettings
) -> None:
    figures = disclose(with_margins(cells), settings)
    for parent, members in lines(figures):
        hidden = [m for m in members if m.suppressed is not None]
        if parent.suppressed is None:
            if hidden:
                # Two or more unknowns, and what they add up to is not a small group either.
                assert len(hidden) >= 2
                originals = {key(m): cells_n(cells, m) for m in hidden}
                assert sum(originals.values()) >= settings.suppress_below
        else:
            # The total is unknown: the members must not all be published, or they give it.
            assert hidden


def cells_n(cells: Mapping[tuple[str, str], int], figure: Figure) -> int:
    ward, period = figure.dimensions.get("ward"), figure.dimensions.get("period")
    return sum(n for (w, p), n in cells.items() if ward in {None, w} and period in {None, p})


@given(tables(), settings_, st.integers(0, 5) | st.none())
def test_published_values_are_the_measured_ones_but_for_rounding(
    cells: dict[tuple[str, str], int], settings: PublishingSettings, step: int | None
) -> None:
    results = with_margins(cells)
    rounding = PublishingSettings(suppress_below=settings.suppress_below, round_to=step or None)
    for result, figure in zip(results, disclose(results, rounding), strict=True):
        if figure.suppressed is not None:
            continue
        assert figure.value is not None
        if step and result.kind == "count":
            assert abs(figure.value - result.value) <= step / 2
            assert figure.value % step == 0
        else:
            assert figure.value == result.value
        assert figure.rounded == bool(step)


@given(tables(), settings_, st.randoms(use_true_random=False))
def test_what_is_suppressed_does_not_depend_on_the_results_order(
    cells: dict[tuple[str, str], int], settings: PublishingSettings, shuffler: random.Random
) -> None:
    results = with_margins(cells)
    shuffled = list(results)
    shuffler.shuffle(shuffled)
    in_order = {key(f): f for f in disclose(results, settings)}
    reordered = {key(f): f for f in disclose(shuffled, settings)}
    assert in_order == reordered


@given(tables(), settings_)
def test_results_that_are_already_safe_come_back_as_they_were(
    cells: dict[tuple[str, str], int], settings: PublishingSettings
) -> None:
    safe = {cell: n + settings.suppress_below for cell, n in cells.items()}
    results = with_margins(safe)
    assert disclose(results, settings) == tuple(Figure.of(r) for r in results)


@given(tables(), st.sampled_from([TEN, NHS, PublishingSettings(round_to=5)]))
def test_disclosing_published_figures_again_changes_nothing(
    cells: dict[tuple[str, str], int], settings: PublishingSettings
) -> None:
    once = disclose(with_margins(cells), settings)
    again = disclose(
        [
            Result(
                f.model,
                f.indicator,
                f.value,
                f.dimensions,
                people=f.people,
                measure=f.measure,
                n=f.n,
                kind=f.kind,
                unit=f.unit,
            )
            for f in once
            if f.value is not None
        ],
        settings,
    )
    assert [(f.value, f.n) for f in again] == [(f.value, f.n) for f in once if f.value is not None]


@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=6),
    st.sampled_from([TEN, NHS]),
)
def test_bands_of_one_whole_never_leave_one_suppressed_band(
    counts: list[int], settings: PublishingSettings
) -> None:
    total = sum(counts)
    if total == 0:
        return
    bands = [percent(c / total * 100, total, band=f"b{i}") for i, c in enumerate(counts)]
    figures = disclose(bands, settings)
    hidden = [c for c, f in zip(counts, figures, strict=True) if f.suppressed is not None]
    published = [f for f in figures if f.suppressed is None]
    if hidden and published:
        assert len(hidden) >= 2
        assert sum(hidden) >= settings.suppress_below


# -- the audit: what several totals together give away ----------------------------------------


def two_way(cells: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], Figure]:
    """The published cells of a ward by period table with its margins, by (ward, period)."""
    figures = disclose(with_margins(cells), TEN)
    return {
        (f.dimensions.get("ward", "*"), f.dimensions.get("period", "*")): f
        for f in figures
        if f.indicator == "respondents"
    }


def test_a_cell_linking_two_blocks_of_small_cells_is_not_left_to_be_worked_out() -> None:
    wards, periods = ("A", "B", "C", "D"), ("1", "2", "3", "4")
    small = {("A", "1"), ("A", "2"), ("B", "1"), ("B", "2"), ("B", "3")}
    small |= {("C", "3"), ("C", "4"), ("D", "3"), ("D", "4")}
    cells = {(w, p): 6 if (w, p) in small else 50 for w in wards for p in periods}
    table = two_way(cells)
    assert all(table[cell].suppressed == "primary" for cell in small)
    # Rows A and B less columns 1 and 2 would give B3, unless something more is suppressed.
    assert solvable(table) == set()
    assert any(f.suppressed == "secondary" for f in table.values())


def solvable(table: Mapping[tuple[str, str], Figure]) -> set[tuple[str, str]]:
    """The suppressed cells that the table's sums determine, by exact linear algebra."""
    from fractions import Fraction

    unknown = sorted(k for k, f in table.items() if f.suppressed is not None)
    wards = sorted({w for w, _ in table if w != "*"})
    periods = sorted({p for _, p in table if p != "*"})
    lines = [[(w, p) for p in periods] + [(w, "*")] for w in [*wards, "*"]]
    lines += [[(w, p) for w in wards] + [("*", p)] for p in [*periods, "*"]]
    rows: list[list[Fraction]] = []
    for line in lines:
        *parts, total = line
        row = [Fraction(0)] * len(unknown)
        for cell, sign in [(total, 1), *((c, -1) for c in parts)]:
            if cell in unknown:
                row[unknown.index(cell)] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form: a cell is determined when a row is 1 at it and 0 elsewhere.
    pivot_row = 0
    for col in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return {
        unknown[row.index(Fraction(1))]
        for row in rows[:pivot_row]
        if sum(1 for x in row if x != 0) == 1
    }


@st.composite
def wide_tables(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """Ward by period tables with many small cells, where blocks of them link up."""
    wards = WARDS[: draw(st.integers(2, 5))]
    periods = PERIODS[: draw(st.integers(2, 3))] + ("2026", "2027")[: draw(st.integers(0, 2))]
    return {(w, p): draw(st.sampled_from([0, 6, 7, 8, 30, 45])) for w in wards for p in periods}


@given(wide_tables())
def test_no_suppressed_cell_can_be_worked_out_from_all_the_totals_together(
    cells: dict[tuple[str, str], int],
) -> None:
    assert solvable(two_way(cells)) == set()


def test_a_count_suppressed_in_one_indicator_is_not_published_as_the_n_of_another() -> None:
    wards = {"A": 5, "B": 40, "C": 55}
    shares = {"A": 20.0, "B": 50.0, "C": 20.0}
    results = [count(100, "people"), percent(30.0, 100, "repeat-share")]
    results += [count(n, "people", ward=w) for w, n in wards.items()]
    results += [percent(shares[w], n, "repeat-share", ward=w) for w, n in wards.items()]
    figures = disclose(results, TEN)
    hidden = {
        (f.dimensions["ward"], n)
        for f, n in zip(figures, (r.n for r in results), strict=True)
        if f.dimensions and f.suppressed is not None and f.kind == "count"
    }
    assert ("A", 5) in hidden
    assert len(hidden) >= 2  # A, and a second ward so that A is not 100 less the others
    for f in figures:
        ward = f.dimensions.get("ward")
        # No figure of a ward whose count is hidden gives that count away as its n.
        assert not any(w == ward and f.n == n for w, n in hidden)


def test_cells_of_three_breakdowns_are_controlled_against_each_coarser_figure() -> None:
    cells = {("young", "f"): 3, ("young", "m"): 20, ("old", "f"): 20, ("old", "m"): 20}
    results = [count(63), count(63, ward="A")]
    results += [count(n, ward="A", age=a, sex=s) for (a, s), n in cells.items()]
    figures = disclose(results, TEN)
    suppressed = [f.dimensions for f in figures if f.suppressed is not None]
    assert {"ward": "A", "age": "young", "sex": "f"} in suppressed
    # Without ward by age or ward by sex, the ward's own figure is the cells' total: one
    # suppressed cell would be 63 less the other three.
    assert len(suppressed) >= 2
