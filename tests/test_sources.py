"""The built-in data sources: row numbers, types, problems by row, and unreadable locations."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import ROW, DataSource, DataSourceError, Problem, Table
from socialcouncil.sources.csv import CsvSource
from socialcouncil.sources.datapackage import DataPackageSource
from socialcouncil.sources.excel import ExcelSource
from socialcouncil.sources.jsonl import JsonLinesSource
from socialcouncil.sources.parquet import ParquetSource
from socialcouncil.sources.sqlite import SqliteSource
from socialcouncil.testing import check_data_source

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

SOURCES: dict[str, type[Any]] = {
    "csv": CsvSource,
    "jsonl": JsonLinesSource,
    "parquet": ParquetSource,
    "excel": ExcelSource,
    "sqlite": SqliteSource,
    "datapackage": DataPackageSource,
}


def rows(table: Table) -> list[dict[str, Any]]:
    """The table's rows, collected, as dictionaries."""
    frame = table.frame.collect() if isinstance(table.frame, pl.LazyFrame) else table.frame
    return list(frame.iter_rows(named=True))


def rendered(table: Table) -> list[str]:
    return [p.render() for p in table.problems]


def sha256(path: Path) -> str:
    return f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"


def unreadable(excinfo: pytest.ExceptionInfo[DataSourceError]) -> list[str]:
    return [p.message for p in excinfo.value.problems]


# -- every source ------------------------------------------------------------------------------


def test_every_built_in_source_is_a_plugin_of_its_own() -> None:
    found = socialcouncil.registry()
    for name, cls in SOURCES.items():
        assert found.data_sources[name] is cls
        assert found.provider("data source", name).name == f"{name}-source"
        assert found.provider("data source", name).builtin
        assert isinstance(cls.description, str)
        assert all(isinstance(v, str) and v for v in cls.options.values())


def test_every_built_in_source_follows_the_protocol(tmp_path: Path) -> None:
    assert all(
        isinstance(cls(tmp_path / "x", **options), DataSource)
        for cls, options in [
            (CsvSource, {}),
            (JsonLinesSource, {}),
            (ParquetSource, {}),
            (ExcelSource, {}),
            (SqliteSource, {"table": "t"}),
            (DataPackageSource, {}),
        ]
    )


@pytest.mark.parametrize("name", list(SOURCES))
def test_a_missing_location_or_a_folder_cannot_be_read(name: str, tmp_path: Path) -> None:
    options = {"table": "t"} if name == "sqlite" else {}
    # For a data package, a folder is read as the descriptor in it, which is not there.
    folder = "there is no such file" if name == "datapackage" else "it is not a regular file"
    for where, expected in [
        (tmp_path / "absent", "cannot be read: there is no such file"),
        (tmp_path, f"cannot be read: {folder}"),
    ]:
        with pytest.raises(DataSourceError) as caught:
            SOURCES[name](where, **options).read()
        assert unreadable(caught) == [expected]
        assert caught.value.problems[0].location == str(where)


@pytest.mark.parametrize("name", list(SOURCES))
def test_an_unknown_option_is_refused_naming_those_there_are(name: str, tmp_path: Path) -> None:
    with pytest.raises(DataSourceError) as caught:
        SOURCES[name](tmp_path / "x", delimeter=";")
    assert f"the {name} source has no option 'delimeter'" in unreadable(caught)[0]


@pytest.mark.parametrize("name", ["parquet", "excel", "sqlite"])
def test_a_file_in_another_format_is_a_data_source_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / "not-it"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    options = {"table": "t"} if name == "sqlite" else {}
    with pytest.raises(DataSourceError, match="cannot be read"):
        SOURCES[name](path, **options).read()


def test_reading_modules_do_not_import_polars_until_a_source_reads() -> None:
    code = (
        "import sys, socialcouncil\n"
        "registry = socialcouncil.registry()\n"
        "assert len(registry.data_sources) >= 6\n"
        "print(','.join(m for m in ('polars', 'narwhals', 'fastexcel', 'sqlite3')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# -- csv ---------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_csv_rows_keep_the_numbers_of_their_lines_across_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "Respondent,Q1\nr1,4\n\nr2,\n,\n\n\nr3,5\n")
    table = check_data_source(CsvSource, path)
    assert rows(table) == [
        {ROW: 2, "Respondent": "r1", "Q1": "4"},
        {ROW: 4, "Respondent": "r2", "Q1": None},
        {ROW: 8, "Respondent": "r3", "Q1": "5"},
    ]
    assert table.problems == ()
    assert table.fingerprint == sha256(path)
    assert (table.source, table.location) == ("csv", str(path))


def test_csv_without_quotes_is_scanned_lazily_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\r\n1,2.5\r\n\r\n3,x\r\n")
    table = CsvSource(path).read()
    assert isinstance(table.frame, pl.LazyFrame)
    assert table.frame.collect_schema() == pl.Schema(
        {ROW: pl.Int64, "a": pl.String, "b": pl.String}
    )
    assert rows(table) == [{ROW: 2, "a": "1", "b": "2.5"}, {ROW: 4, "a": "3", "b": "x"}]


def test_a_quoted_cell_across_lines_counts_each_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'member,note\nann,"two\nlines"\n\nbob,"say ""hi"""\n')
    assert rows(CsvSource(path).read()) == [
        {ROW: 2, "member": "ann", "note": "two\nlines"},
        {ROW: 5, "member": "bob", "note": 'say "hi"'},
    ]


@pytest.mark.parametrize("quote", ["", '"'])
def test_short_and_long_csv_rows_are_problems_with_their_numbers(
    tmp_path: Path, quote: str
) -> None:
    path = write(tmp_path, f"a,b\n{quote}1{quote},2\n1,2,3\n\n4,5\n6\n")
    table = CsvSource(path).read()
    assert [r[ROW] for r in rows(table)] == [2, 5]
    assert rendered(table) == [
        f"{path}, row 3: found 3 cells, expected 2 (one per column of the header)",
        f"{path}, row 6: found 1 cell, expected 2 (one per column of the header)",
    ]
    assert all(p.source == "csv" and p.location == str(path) for p in table.problems)


def test_csv_reads_utf_8_with_or_without_a_byte_order_mark(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_bytes("Ward,Name\nShirley,Zoë\n".encode())
    marked = tmp_path / "marked.csv"
    marked.write_bytes(codecs_bom() + "Ward,Name\nShirley,Zoë\n".encode())
    assert rows(CsvSource(plain).read()) == rows(CsvSource(marked).read())
    assert rows(CsvSource(marked).read()) == [{ROW: 2, "Ward": "Shirley", "Name": "Zoë"}]


def codecs_bom() -> bytes:
    import codecs

    return codecs.BOM_UTF8


def test_csv_options_delimiter_encoding_and_date_format(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name;date\ncafé;04/03/2025\n".encode("latin-1"))
    with pytest.raises(DataSourceError) as caught:
        CsvSource(path, delimiter=";").read()
    assert unreadable(caught) == [
        "is not UTF-8 text (byte 14); give the 'encoding' option, such as 'cp1252'"
    ]
    table = CsvSource(path, delimiter=";", encoding="latin-1", date_format="%d/%m/%Y").read()
    assert rows(table) == [{ROW: 2, "name": "café", "date": "04/03/2025"}]
    assert table.date_format == "%d/%m/%Y"
    assert CsvSource(write(tmp_path, "a\n1\n", "iso.csv")).read().date_format is None


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"delimiter": ";;"}, "option 'delimiter' is ';;'; expected one character"),
        ({"delimiter": 1}, "option 'delimiter' is 1; expected a string"),
        ({"encoding": "klingon"}, "option 'encoding' is 'klingon', which is not an encoding"),
    ],
)
def test_wrong_csv_options_are_data_source_errors(
    tmp_path: Path, options: dict[str, object], expected: str
) -> None:
    with pytest.raises(DataSourceError) as caught:
        CsvSource(tmp_path / "x.csv", **options)
    assert unreadable(caught)[0].startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty; expected a header row"),
        ("\n\n", "is empty; expected a header row"),
        ("a,b,a\n1,2,3\n", "the columns 'a' are named more than once"),
        ("_row,b\n1,2\n", "has a column named '_row', the name kept for row numbers; rename it"),
        ('a,"b\n', "cannot be read as CSV: unexpected end of data"),
    ],
)
def test_csv_files_without_a_usable_header_say_so(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DataSourceError) as caught:
        CsvSource(write(tmp_path, text)).read()
    assert unreadable(caught) == [expected]


# Cells as a person might type them: quotes, delimiters, line breaks and spaces included.
CELLS = st.text(st.sampled_from(["a", "b", " ", ",", '"', "\n", "é", "1"]), max_size=5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.lists(CELLS, min_size=2, max_size=2), st.integers(0, 2)), max_size=10),
    st.booleans(),
    st.booleans(),
)
def test_csv_row_numbers_are_the_line_numbers_a_person_counts(
    records: list[tuple[list[str], int]],
    quote_all: bool,
    crlf: bool,
) -> None:
    newline = "\r\n" if crlf else "\n"
    quoting: Literal[0, 1] = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    lines = [f"a,b{newline}"]
    expected = []
    for cells, blanks in records:
        lines.extend([newline] * blanks)
        buffer = io.StringIO()
        csv.writer(buffer, quoting=quoting, lineterminator=newline).writerow(cells)
        if any(cells):  # a row of empty cells holds no record
            # The row starts on the next line of the file, as an editor counts them.
            expected.append((sum(line.count("\n") for line in lines) + 1, cells))
        lines.append(buffer.getvalue())
    text = "".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_text(text, encoding="utf-8", newline="")
        table = CsvSource(path).read()
        fingerprint = sha256(path)
        read = rows(table)  # a lazy frame reads the file when it is collected
    assert table.problems == ()
    assert table.fingerprint == fingerprint
    assert [(r[ROW], [r["a"] or "", r["b"] or ""]) for r in read] == expected


# -- jsonl -------------------------------------------------------------------------------------


def test_json_lines_are_numbered_by_line_and_keep_their_kinds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"person": "p1", "hours": 2, "paid": true, "rate": 1.5}\n'
        "\n"
        '{"person": "p2", "hours": 3, "rate": 2}\n'
        '{"person": "p3", "hours": null, "paid": false, "note": "x"}\n',
        "ledger.jsonl",
    )
    table = check_data_source(JsonLinesSource, path)
    assert table.frame.schema == pl.Schema(
        {
            ROW: pl.Int64,
            "person": pl.String,
            "hours": pl.Int64,
            "paid": pl.Boolean,
            "rate": pl.Float64,
            "note": pl.String,
        }
    )
    assert [(r[ROW], r["person"], r["hours"], r["paid"], r["rate"]) for r in rows(table)] == [
        (1, "p1", 2, True, 1.5),
        (3, "p2", 3, None, 2.0),
        (4, "p3", None, False, None),
    ]
    assert table.fingerprint == sha256(path)
    assert table.problems == ()


def test_json_lines_that_are_not_objects_are_problems_with_their_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"a": 1}\n[1, 2]\n{"a": oops}\n"text"\n{"a": [1]}\n{"a": "two"}\n',
        "broken.jsonl",
    )
    table = JsonLinesSource(path, date_format="%d/%m/%Y").read()
    assert rendered(table) == [
        f"{path}, row 2: found list, expected an object",
        f"{path}, row 3: not JSON: Expecting value",
        f"{path}, row 4: found str, expected an object",
        f"{path}, row 5, column 'a': found a list, expected a single value",
    ]
    # A column mixing kinds is text, each value as JSON writes it; the list's cell is empty.
    assert [(r[ROW], r["a"]) for r in rows(table)] == [(1, "1"), (5, None), (6, "two")]
    assert table.date_format == "%d/%m/%Y"


def test_json_lines_that_are_not_utf_8_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": "caf\xe9"}\n')
    with pytest.raises(DataSourceError, match="is not UTF-8 text"):
        JsonLinesSource(path).read()


# -- parquet -----------------------------------------------------------------------------------


def test_parquet_rows_are_numbered_from_1_with_their_types(tmp_path: Path) -> None:
    path = tmp_path / "survey.parquet"
    pl.DataFrame(
        {
            "id": ["a", "b", "c"],
            "score": [1, None, 3],
            "when": [datetime.date(2025, 1, 2), None, datetime.date(2025, 3, 4)],
        }
    ).write_parquet(path)
    table = check_data_source(ParquetSource, path)
    assert isinstance(ParquetSource(path).read().frame, pl.LazyFrame)
    assert rows(table) == [
        {ROW: 1, "id": "a", "score": 1, "when": datetime.date(2025, 1, 2)},
        {ROW: 2, "id": "b", "score": None, "when": None},
        {ROW: 3, "id": "c", "score": 3, "when": datetime.date(2025, 3, 4)},
    ]
    assert table.fingerprint == sha256(path)


def test_a_parquet_file_with_a_row_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    pl.DataFrame({ROW: [1]}).write_parquet(path)
    with pytest.raises(DataSourceError, match="has a column named '_row'"):
        ParquetSource(path).read()


# -- excel -------------------------------------------------------------------------------------


def workbook(path: Path) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path))
    survey = book.add_worksheet("Survey")
    dated = book.add_format({"num_format": "dd/mm/yyyy"})
    survey.write_row(0, 0, ["Respondent", "Date", "Q1"])
    survey.write_row(1, 0, ["r1"])
    survey.write_datetime(1, 1, datetime.datetime(2025, 3, 4), dated)
    survey.write_number(1, 2, 4)
    survey.write_row(3, 0, ["r2", None, 5])  # row 3 of the sheet is empty
    other = book.add_worksheet("Wards")
    other.write_row(0, 0, ["Ward"])
    other.write_row(1, 0, ["Shirley West"])
    book.close()
    return path


def test_an_xlsx_sheet_keeps_its_own_row_numbers_and_dates(tmp_path: Path) -> None:
    path = workbook(tmp_path / "survey.xlsx")
    table = check_data_source(ExcelSource, path)
    assert rows(table) == [
        {ROW: 2, "Respondent": "r1", "Date": datetime.date(2025, 3, 4), "Q1": 4.0},
        {ROW: 4, "Respondent": "r2", "Date": None, "Q1": 5.0},
    ]
    assert table.fingerprint == sha256(path)
    by_name = ExcelSource(path, sheet="Wards").read()
    assert rows(by_name) == rows(ExcelSource(path, sheet=2).read())
    assert rows(by_name) == [{ROW: 2, "Ward": "Shirley West"}]


def test_a_header_below_empty_rows_keeps_the_sheets_row_numbers(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "late.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Connections")
    sheet.write_row(2, 1, ["From", "To"])  # the header in row 3, from column B
    sheet.write_row(3, 1, ["p1", "p2"])
    sheet.write_row(5, 1, ["p2", "p3"])
    book.close()
    assert rows(check_data_source(ExcelSource, path)) == [
        {ROW: 4, "From": "p1", "To": "p2"},
        {ROW: 6, "From": "p2", "To": "p3"},
    ]


def test_an_ods_sheet_is_read_like_an_xlsx_one(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table as Sheet  # type: ignore[import-untyped]
    from odf.table import TableCell, TableRow
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()
    sheet = Sheet(name="Timebank")
    spreadsheet: list[list[str | float]] = [["Giver", "Hours"], ["p1", 2.5], [], ["p2", 1]]
    for values in spreadsheet:
        row = TableRow()
        for value in values:
            if isinstance(value, str):
                cell = TableCell(valuetype="string")
            else:
                cell = TableCell(valuetype="float", value=value)
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        if not values:
            row.addElement(TableCell())
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    path = tmp_path / "timebank.ods"
    document.save(str(path))
    table = check_data_source(ExcelSource, path, sheet="Timebank")
    assert rows(table) == [
        {ROW: 2, "Giver": "p1", "Hours": 2.5},
        {ROW: 4, "Giver": "p2", "Hours": 1.0},
    ]


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        (3, "has 2 sheets, not 3; the sheets are ['Survey', 'Wards']"),
        ("Ward", "has no sheet 'Ward'; the sheets are ['Survey', 'Wards']"),
    ],
)
def test_a_sheet_the_workbook_lacks_is_named_with_those_it_has(
    tmp_path: Path, sheet: str | int, expected: str
) -> None:
    path = workbook(tmp_path / "survey.xlsx")
    with pytest.raises(DataSourceError) as caught:
        ExcelSource(path, sheet=sheet).read()
    assert unreadable(caught) == [expected]


def test_a_wrong_sheet_option_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match=r"option 'sheet' is 0; expected 1 or more"):
        ExcelSource(tmp_path / "x.xlsx", sheet=0)
    with pytest.raises(DataSourceError, match=r"option 'sheet' is 1\.5; expected a string or"):
        ExcelSource(tmp_path / "x.xlsx", sheet=1.5)


def test_reading_a_workbook_without_the_excel_extra_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path / "survey.xlsx")
    monkeypatch.setitem(sys.modules, "fastexcel", None)
    with pytest.raises(DataSourceError) as caught:
        ExcelSource(path).read()
    assert "needs the 'excel' extra (pip install 'socialcouncil[excel]')" in unreadable(caught)[0]


# -- sqlite ------------------------------------------------------------------------------------


def database(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE exchanges (giver TEXT, hours REAL, day DATE, n)")
        connection.executemany(
            "INSERT INTO exchanges VALUES (?, ?, ?, ?)",
            [("p1", 2.0, "2025-01-02", 1), ("p2", None, "02/01/2025", "x"), ("p3", 1.5, None, 3)],
        )
    connection.close()
    return path


def test_a_sqlite_table_is_numbered_from_1_with_declared_dates(tmp_path: Path) -> None:
    path = database(tmp_path / "timebank.db")
    table = check_data_source(SqliteSource, path, table="exchanges")
    assert rows(table) == [
        {ROW: 1, "giver": "p1", "hours": 2.0, "day": datetime.date(2025, 1, 2), "n": "1"},
        {ROW: 2, "giver": "p2", "hours": None, "day": None, "n": "x"},
        {ROW: 3, "giver": "p3", "hours": 1.5, "day": None, "n": "3"},
    ]
    assert rendered(table) == [
        f"{path}, row 2, column 'day': found '02/01/2025', expected a date as YYYY-MM-DD"
    ]
    assert table.fingerprint == sha256(path)


def test_a_sqlite_query_is_read_in_its_order(tmp_path: Path) -> None:
    path = database(tmp_path / "timebank.db")
    query = (
        "SELECT giver, hours * 2 AS double FROM exchanges WHERE hours IS NOT NULL "
        "ORDER BY giver DESC"
    )
    table = check_data_source(SqliteSource, path, query=query)
    assert rows(table) == [
        {ROW: 1, "giver": "p3", "double": 3.0},
        {ROW: 2, "giver": "p1", "double": 4.0},
    ]


@pytest.mark.parametrize(
    "query",
    ["DELETE FROM exchanges", "DROP TABLE exchanges", "INSERT INTO exchanges VALUES (1, 2, 3, 4)"],
)
def test_a_query_that_writes_is_refused_by_the_read_only_connection(
    tmp_path: Path, query: str
) -> None:
    path = database(tmp_path / "timebank.db")
    before = path.read_bytes()
    with pytest.raises(DataSourceError) as caught:
        SqliteSource(path, query=query).read()
    assert unreadable(caught) == ["cannot read the query: attempt to write a readonly database"]
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "give exactly one of the options 'table' and 'query'"),
        (
            {"table": "a", "query": "SELECT 1"},
            "give exactly one of the options 'table' and 'query'",
        ),
    ],
)
def test_sqlite_needs_a_table_or_a_query(
    tmp_path: Path, options: dict[str, object], expected: str
) -> None:
    with pytest.raises(DataSourceError) as caught:
        SqliteSource(tmp_path / "x.db", **options)
    assert unreadable(caught) == [expected]


def test_a_table_the_database_lacks_is_named_with_those_it_has(tmp_path: Path) -> None:
    path = database(tmp_path / "timebank.db")
    with pytest.raises(DataSourceError) as caught:
        SqliteSource(path, table="exchange").read()
    assert unreadable(caught) == ["has no table 'exchange'; the tables are ['exchanges']"]
    with pytest.raises(DataSourceError, match="cannot read the query: no such column: nope"):
        SqliteSource(path, query="SELECT nope FROM exchanges").read()


# -- datapackage -------------------------------------------------------------------------------


SCHEMA = {
    "missingValues": ["", "NA"],
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "score", "type": "number"},
        {"name": "when", "type": "date"},
        {"name": "uk", "type": "date", "format": "%d/%m/%Y"},
        {"name": "ok", "type": "boolean"},
        {"name": "name", "type": "string"},
    ],
}


def package(folder: Path, resources: list[dict[str, Any]]) -> Path:
    folder.mkdir(exist_ok=True)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "survey", "resources": resources}), "utf-8")
    return descriptor


def test_a_data_package_resource_honours_its_table_schema(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    data = write(
        tmp_path / "data",
        "id,score,when,uk,ok,name\n"
        "1,2.5,2025-01-02,04/03/2025,true,Ann\n"
        "\n"
        "2,NA,2025-13-01,31/02/2025,maybe,NA\n"
        "x,3,,,0,\n",
        "responses.csv",
    )
    descriptor = package(
        tmp_path, [{"name": "responses", "path": "data/responses.csv", "schema": SCHEMA}]
    )
    table = check_data_source(DataPackageSource, descriptor, date_format="%d/%m/%Y")
    assert table.frame.schema == pl.Schema(
        {
            ROW: pl.Int64,
            "id": pl.Int64,
            "score": pl.Float64,
            "when": pl.Date,
            "uk": pl.Date,
            "ok": pl.Boolean,
            "name": pl.String,
        }
    )
    day = datetime.date
    assert rows(table) == [
        {
            ROW: 2,
            "id": 1,
            "score": 2.5,
            "when": day(2025, 1, 2),
            "uk": day(2025, 3, 4),
            "ok": True,
            "name": "Ann",
        },
        {ROW: 4, "id": 2, "score": None, "when": None, "uk": None, "ok": None, "name": None},
        {ROW: 5, "id": None, "score": 3.0, "when": None, "uk": None, "ok": False, "name": None},
    ]
    where = str(descriptor)
    assert rendered(table) == [
        f"{where}, row 4, column 'when': found '2025-13-01', expected a date as YYYY-MM-DD",
        f"{where}, row 4, column 'uk': found '31/02/2025', expected a date as %d/%m/%Y",
        f"{where}, row 4, column 'ok': found 'maybe', expected true or false",
        f"{where}, row 5, column 'id': found 'x', expected a whole number",
    ]
    assert table.fingerprint == sha256(data)
    assert table.date_format == "%d/%m/%Y"
    # The folder holding the descriptor is as good a location as the descriptor.
    assert rows(DataPackageSource(tmp_path).read()) == rows(table)


def test_the_resource_files_short_rows_are_problems_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path, "id,name\n1,a\n2\n", "r.csv")
    descriptor = package(
        tmp_path,
        [
            {
                "name": "r",
                "path": "r.csv",
                "dialect": {"delimiter": ","},
                "schema": {"fields": [{"name": "id", "type": "integer"}]},
            }
        ],
    )
    table = DataPackageSource(descriptor).read()
    assert rendered(table) == [
        f"{descriptor}, row 3: r.csv: found 1 cell, expected 2 (one per column of the header)"
    ]
    assert rows(table) == [{ROW: 2, "id": 1, "name": "a"}]


def test_inline_data_is_read_as_arrays_after_a_header_or_as_objects(tmp_path: Path) -> None:
    fields = {"fields": [{"name": "n", "type": "integer"}, {"name": "yes", "type": "boolean"}]}
    descriptor = package(
        tmp_path,
        [
            {"name": "arrays", "data": [["n", "yes"], [1, True], ["two", False]], "schema": fields},
            {"name": "objects", "data": [{"n": 1, "yes": "true"}, {"n": 3}], "schema": fields},
        ],
    )
    arrays = check_data_source(DataPackageSource, descriptor, resource="arrays")
    assert rows(arrays) == [{ROW: 2, "n": 1, "yes": True}, {ROW: 3, "n": None, "yes": False}]
    assert rendered(arrays) == [
        f"{descriptor}, row 3, column 'n': found 'two', expected a whole number"
    ]
    assert arrays.fingerprint == sha256(descriptor)
    objects = DataPackageSource(descriptor, resource="objects").read()
    assert rows(objects) == [{ROW: 1, "n": 1, "yes": True}, {ROW: 2, "n": 3, "yes": None}]


def test_a_package_of_several_resources_needs_the_resource_option(tmp_path: Path) -> None:
    descriptor = package(
        tmp_path, [{"name": "a", "data": [{"x": 1}]}, {"name": "b", "data": [{"x": 2}]}]
    )
    with pytest.raises(DataSourceError) as caught:
        DataPackageSource(descriptor).read()
    assert unreadable(caught) == [
        "has 2 resources; choose one with the option 'resource': ['a', 'b']"
    ]
    with pytest.raises(DataSourceError) as caught:
        DataPackageSource(descriptor, resource="c").read()
    assert unreadable(caught) == ["has no resource 'c'; the resources are ['a', 'b']"]
    assert rows(DataPackageSource(descriptor, resource="b").read()) == [{ROW: 1, "x": "2"}]


@pytest.mark.parametrize(
    "path",
    [
        "../outside.csv",
        "data/../../outside.csv",
        "/etc/passwd",
        "https://example.org/x.csv",
        "data\\..\\..\\outside.csv",
    ],
)
def test_a_resource_path_that_leaves_the_package_is_refused(tmp_path: Path, path: str) -> None:
    write(tmp_path, "a\n1\n", "outside.csv")
    descriptor = package(tmp_path / "package", [{"name": "r", "path": path}])
    with pytest.raises(DataSourceError) as caught:
        DataPackageSource(descriptor).read()
    assert unreadable(caught) == [
        (
            f"resource 'r': its path {path!r} is refused; expected a relative path inside the "
            "package's folder (no URL, no '..')"
        )
    ]


def test_a_resource_path_through_a_link_out_of_the_package_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a\n1\n", "outside.csv")
    descriptor = package(tmp_path / "package", [{"name": "r", "path": "link.csv"}])
    (tmp_path / "package" / "link.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(DataSourceError, match=r"its path 'link\.csv' leads out of the package"):
        DataPackageSource(descriptor).read()


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        ("{", "is not a data package descriptor (JSON)"),
        ('{"resources": 3}', "is not a data package: expected an object with resources"),
        ('{"resources": [{"name": "r", "path": "r.xlsx"}]}', "resource 'r': its format is 'xlsx'"),
        (
            '{"resources": [{"name": "r", "path": "none.csv"}]}',
            "resource 'r': there is no file 'none.csv' in the package",
        ),
        (
            (
                '{"resources": [{"name": "r", "data": [{"a": 1}], "schema": {"fields": '
                '[{"name": "b", "type": "integer"}]}}]}'
            ),
            "resource 'r': the schema's fields ['b'] are not columns of its data",
        ),
        (
            '{"resources": [{"name": "r", "data": [{"a": 1}], "schema": "schema.json"}]}',
            "resource 'r': a schema in another file is not supported",
        ),
    ],
)
def test_a_descriptor_that_cannot_be_used_says_why(
    tmp_path: Path, descriptor: str, expected: str
) -> None:
    path = write(tmp_path, descriptor, "datapackage.json")
    with pytest.raises(DataSourceError) as caught:
        DataPackageSource(path).read()
    assert unreadable(caught)[0].startswith(expected)


# -- the testing kit's check -------------------------------------------------------------------


class _Wrong:
    """A source whose table breaks the protocol as its *location* says."""

    name: ClassVar[str] = "wrong"
    description: ClassVar[str] = "Gives tables that do not conform."
    options: ClassVar[Mapping[str, str]] = {}

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = str(location)

    def read(self) -> Table:
        frame = pl.LazyFrame({ROW: [2, 3], "a": [1, 2]})
        print_ = "sha256:" + "0" * 64
        if self.location == "no-rows":
            frame = pl.LazyFrame({"a": [1]})
        elif self.location == "text-rows":
            frame = pl.LazyFrame({ROW: ["2"], "a": [1]})
        elif self.location == "unordered":
            frame = pl.LazyFrame({ROW: [3, 2], "a": [1, 2]})
        elif self.location == "fingerprint":
            print_ = "sha256:abc"
        problem = Problem(
            "",
            "x",
            source="other" if self.location == "problem" else self.name,
            location=self.location,
        )
        return Table(frame, self.name, self.location, print_, (problem,))


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("no-rows", "the table has no '_row' column of row numbers"),
        ("text-rows", "the '_row' column holds String, not whole numbers"),
        ("unordered", "row numbers must increase from row to row"),
        ("fingerprint", "the fingerprint 'sha256:abc' is not 'sha256:' and 64 hex digits"),
        ("problem", "problem 0 (problem: x) must name the source and the location"),
    ],
)
def test_check_data_source_says_what_does_not_conform(location: str, expected: str) -> None:
    with pytest.raises(AssertionError) as caught:
        check_data_source(_Wrong, location)
    assert expected in str(caught.value)


def test_check_data_source_returns_a_conforming_table_collected() -> None:
    table = check_data_source(_Wrong, "fine")
    assert isinstance(table.frame, pl.DataFrame)
    assert table.frame[ROW].to_list() == [2, 3]
