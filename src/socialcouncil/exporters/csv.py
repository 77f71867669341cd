"""The built-in CSV exporter, and the one CSV writer every CSV file of socialcouncil goes through.

Every CSV cell socialcouncil writes, from ``socialcouncil export --to csv``, a data package or
``socialcouncil measure --format csv``, passes :func:`guard_cell`, so that a spreadsheet never
runs a cell as a formula (OWASP's guidance on CSV injection).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from socialcouncil import files
from socialcouncil.exporters import SUPPRESSED
from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters import ExportContext, Figure

__all__ = [
    "FORMULA_START",
    "RESULT_COLUMNS",
    "Cell",
    "CsvExporter",
    "csv_text",
    "dimension_columns",
    "guard_cell",
    "register_exporters",
    "require_published",
    "result_rows",
]

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""What a text cell may not start with, or a spreadsheet could read it as a formula: OWASP's
list for CSV injection."""

RESULT_COLUMNS: tuple[str, ...] = ("measure", "model", "indicator", "value", "n")
"""The first columns of a results file; one column per dimension key follows, sorted."""

Cell = str | int | float | bool | datetime.date | Sequence[str] | None
"""What a CSV cell may be given as."""


def guard_cell(text: str) -> str:
    """*text* as a CSV cell that no spreadsheet reads as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe, which spreadsheets show as text; anything else is as it was. Numbers are not
    text: the writer never guards them, so ``-0.5`` stays a number.

    >>> from socialcouncil.exporters.csv import guard_cell
    >>> print(guard_cell("=SUM(A1:A9)"), guard_cell("-1 for Knowle"), guard_cell("Knowle"))
    '=SUM(A1:A9) '-1 for Knowle Knowle
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return guard_cell(value)
    return guard_cell(",".join(value))


def csv_text(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    bom: bool = True,
    line_ending: str = "\r\n",
) -> str:
    r"""A CSV file's text: *header*, then *rows*, every text cell guarded by :func:`guard_cell`.

    Cells are quoted only where they must be (a comma, a quote or a line break in them). Text
    is guarded; numbers are written as they are (a whole number without a decimal point), dates
    as ISO dates, ``None`` as an empty cell, a list of texts as one cell joined by commas.

    Args:
        header: the column names.
        rows: the rows, each with one cell per column.
        bom: whether the text starts with a byte order mark, which Excel needs to read UTF-8.
        line_ending: ``"\r\n"`` (RFC 4180, and what Excel writes) or ``"\n"``.
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_ending)
    writer.writerow([guard_cell(name) for name in header])
    for row in rows:
        if len(row) != len(header):
            message = f"a row has {len(row)} cells for {len(header)} columns: {list(row)!r}"
            raise ValueError(message)
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def dimension_columns(figures: Iterable[Figure]) -> tuple[str, ...]:
    """The dimension keys of *figures* as columns, sorted.

    A key named like one of :data:`RESULT_COLUMNS` (a measure broken down by a field called
    ``model``, say) is written as ``by-`` and the key, so that no two columns share a name.
    """
    keys = sorted({k for f in figures for k in f.dimensions})
    return tuple(f"by-{k}" if k in RESULT_COLUMNS or k.startswith("by-") else k for k in keys)


def result_rows(figures: Sequence[Figure]) -> tuple[tuple[str, ...], list[list[Cell]]]:
    """The header and rows of a results file: one row per figure.

    Columns: measure, model, indicator, value, n, then one per dimension key (sorted; empty
    where a figure is not broken down by it). A suppressed figure's value and n are ``[c]``;
    an n that is not known is empty.
    """
    keys = sorted({k for f in figures for k in f.dimensions})
    header = (*RESULT_COLUMNS, *dimension_columns(figures))
    rows: list[list[Cell]] = []
    for f in figures:
        hidden = f.suppressed is not None
        rows.append(
            [
                f.measure or "",
                f.model,
                f.indicator,
                SUPPRESSED if hidden else f.value,
                SUPPRESSED if hidden else f.n,
                *(f.dimensions.get(k) for k in keys),
            ]
        )
    return header, rows


def require_published(context: ExportContext, exporter: str) -> None:
    """Refuse figures about people that did not come through disclosure control.

    An exporter whose output leaves the council calls this first, so that raw figures given to
    it by mistake are never written.
    """
    if not context.published and any(f.people for f in context.figures):
        message = (
            f"the {exporter} exporter publishes, so its figures must come through disclosure "
            "control (socialcouncil.export_context with publishes=True); found raw figures"
        )
        raise ValueError(message)


class CsvExporter:
    """Write the council's figures as a CSV file that a spreadsheet opens as it is.

    One row per figure, in the order the measures are in the model file. Columns:

    ``measure``, ``model``, ``indicator``
        which measure, measurement model and indicator the figure is.
    ``value``
        the figure, as a plain number; ``[c]`` where it is suppressed.
    ``n``
        the people (or, for figures that count records, the records) it stands on; ``[c]``
        where it is suppressed, empty where it is not known.
    then one column per dimension key, sorted
        what the figure is broken down by (``period``, ``ward``, …), empty for a figure not
        broken down by it. A key named like one of the columns before it is written as
        ``by-`` and the key.

    Disclosure control has been applied to the figures (see
    :mod:`socialcouncil.exporters.disclosure`): figures on fewer people than the council's
    ``suppress_below``, and those that would give one away, are ``[c]``; with ``round_to``,
    counts are rounded. The file is UTF-8 with a byte order mark, so that Excel reads it as
    UTF-8, and its lines end in CRLF, as RFC 4180 and Excel have them. A text cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so that no
    spreadsheet runs it (:func:`guard_cell`); numbers are never changed. The exporter takes no
    options.
    """

    name: ClassVar[str] = "csv"
    description: ClassVar[str] = (
        "The figures as a CSV file, one row per figure, after disclosure control."
    )
    suffix: ClassVar[str] = ".csv"

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the context's figures to *destination*, atomically."""
        require_published(context, self.name)
        header, rows = result_rows(context.figures)
        files.write_atomically(destination, csv_text(header, rows))


@hookimpl
def register_exporters() -> list[type[CsvExporter]]:
    """Register the CSV exporter."""
    return [CsvExporter]
