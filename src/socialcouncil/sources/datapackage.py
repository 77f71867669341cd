"""The built-in data package source: a resource of a Frictionless data package, typed."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import ROW, Table
from socialcouncil.sources._reading import (
    check_columns,
    describe_location,
    fail,
    fingerprint,
    regular_file,
    take_options,
)
from socialcouncil.sources.csv import CsvSource

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping, Sequence

    import polars as pl

__all__ = ["DataPackageSource", "register_data_sources"]

_DESCRIPTOR = "datapackage.json"
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_EXPECTED = {
    "integer": "a whole number",
    "year": "a year",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD",
    "datetime": "a date and time",
}


class DataPackageSource:
    """Read one resource of a Frictionless data package, typed by its Table Schema.

    The location is the package's ``datapackage.json`` (or the folder holding it). A resource
    is a CSV file named by its ``path``, relative to the descriptor's folder and inside it (a
    URL, an absolute path or one leading out of the folder is refused), or rows given inline as
    ``data``. Option ``resource`` names it; it is needed when the package has several.

    CSV rows are numbered as the ``csv`` source numbers them (the header is row 1); inline rows
    as arrays likewise, their first array being the header; inline rows as objects from 1.
    Cells found in the schema's ``missingValues`` (by default only the empty cell) are empty.
    Fields of type ``integer``, ``year``, ``number``, ``boolean``, ``date`` and ``datetime`` are
    read as those types (a date field's ``format`` is honoured); a cell that is not of its
    field's type is a problem with its row number and field, and is left empty. Other fields
    are text. Option ``date_format`` says how the text columns write dates.
    """

    name: ClassVar[str] = "datapackage"
    description: ClassVar[str] = (
        "A resource of a Frictionless data package, typed by its Table Schema."
    )
    options: ClassVar[Mapping[str, str]] = {
        "resource": "the resource's name (needed when the package has several)",
        "date_format": "how text columns write dates, such as '%d/%m/%Y' (default ISO 8601)",
    }

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        given = take_options(self.name, self.location, self.options, options, {})
        self.resource = None if "resource" not in given else str(given["resource"])
        self.date_format = None if "date_format" not in given else str(given["date_format"])

    def read(self) -> Table:
        """Read the resource: lazily for a CSV file, with the schema's types."""
        import polars as pl

        descriptor = self.path / _DESCRIPTOR if self.path.is_dir() else self.path
        regular_file(self.location, descriptor)
        resource = self._resource(self._descriptor(descriptor))
        where = f"resource {resource.get('name')!r}"
        schema = resource.get("schema", {})
        if isinstance(schema, str):
            raise fail(self.location, f"{where}: a schema in another file is not supported")
        fields = schema.get("fields", []) if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            raise fail(
                self.location, f"{where}: its schema's fields must be a list of objects with names"
            )
        missing = schema.get("missingValues", [""])
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            raise fail(self.location, f"{where}: missingValues must be a list of strings")
        if "data" in resource:
            frame = self._inline(where, resource["data"])
            print_: str | None = fingerprint(descriptor)
            problems: list[Problem] = []
        else:
            table = self._csv(where, descriptor.parent, resource)
            frame, print_, problems = table.frame, table.fingerprint, list(table.problems)
        names = frame.collect_schema().names()
        absent = [f["name"] for f in fields if f["name"] not in names]
        if absent:
            message = f"{where}: the schema's fields {absent} are not columns of its data"
            raise fail(self.location, message)
        if missing:
            frame = frame.with_columns(
                pl.when(~pl.col(n).is_in(missing)).then(pl.col(n)).alias(n)
                for n in names
                if n != ROW
            )
        frame, bad = self._typed(frame, fields)
        return Table(
            frame,
            self.name,
            self.location,
            print_,
            (*problems, *bad),
            date_format=self.date_format,
        )

    def _descriptor(self, descriptor: Path) -> dict[str, Any]:
        try:
            package = json.loads(descriptor.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise fail(self.location, f"is not a data package descriptor (JSON): {exc}") from None
        if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
            raise fail(self.location, "is not a data package: expected an object with resources")
        return package

    def _resource(self, package: dict[str, Any]) -> dict[str, Any]:
        resources = [r for r in package["resources"] if isinstance(r, dict)]
        names = [r.get("name") for r in resources]
        if self.resource is None:
            if len(resources) != 1:
                message = (
                    f"has {len(resources)} resources; choose one with the option "
                    f"'resource': {names}"
                )
                raise fail(self.location, message)
            return resources[0]
        for resource in resources:
            if resource.get("name") == self.resource:
                return resource
        raise fail(self.location, f"has no resource {self.resource!r}; the resources are {names}")

    def _csv(self, where: str, folder: Path, resource: dict[str, Any]) -> Table:
        path = resource.get("path")
        if not isinstance(path, str):
            raise fail(self.location, f"{where}: expected a path (one file) or inline data")
        posix = PurePosixPath(path)
        if "://" in path or posix.is_absolute() or ".." in posix.parts or "\\" in path:
            message = (
                f"{where}: its path {path!r} is refused; expected a relative path inside the "
                "package's folder (no URL, no '..')"
            )
            raise fail(self.location, message)
        file = (folder / posix).resolve()
        if not file.is_relative_to(folder.resolve()):
            raise fail(self.location, f"{where}: its path {path!r} leads out of the package")
        kind = resource.get("format", posix.suffix.lstrip(".")).lower()
        if kind != "csv":
            raise fail(self.location, f"{where}: its format is {kind!r}; expected 'csv'")
        dialect = resource.get("dialect", {})
        options: dict[str, object] = {}
        if isinstance(dialect, dict) and "delimiter" in dialect:
            options["delimiter"] = dialect["delimiter"]
        if "encoding" in resource:
            options["encoding"] = resource["encoding"]
        if not file.is_file():
            raise fail(self.location, f"{where}: there is no file {path!r} in the package")
        table = CsvSource(file, **options).read()
        # Problems name the package, as the model file writes it, and the file within it.
        problems = [
            Problem(
                p.path,
                f"{path}: {p.message}",
                source=self.name,
                location=self.location,
                row=p.row,
                field=p.field,
                expected=p.expected,
            )
            for p in table.problems
        ]
        return Table(table.frame, self.name, self.location, table.fingerprint, tuple(problems))

    def _inline(self, where: str, data: object) -> pl.LazyFrame:
        import polars as pl

        if not isinstance(data, list) or not data:
            raise fail(self.location, f"{where}: its data must be a list of rows")
        if all(isinstance(r, dict) for r in data):
            names = list(dict.fromkeys(k for r in data for k in r))
            rows, start = [[r.get(n) for n in names] for r in data], 1
        elif all(isinstance(r, list) for r in data) and all(isinstance(n, str) for n in data[0]):
            names, rows, start = data[0], data[1:], 2
            if any(len(r) != len(names) for r in rows):
                raise fail(
                    self.location,
                    f"{where}: each row of its data must have a value per column of its header",
                )
        else:
            raise fail(
                self.location,
                f"{where}: its data must be objects, or arrays after an array of column names",
            )
        check_columns(self.location, names)
        columns: dict[str, Any] = {ROW: pl.Series(range(start, start + len(rows)), dtype=pl.Int64)}
        for index, column in enumerate(names):
            values = [_text(r[index]) for r in rows]
            columns[column] = pl.Series(column, values, dtype=pl.String)
        return pl.DataFrame(columns).lazy()

    def _typed(
        self, frame: pl.LazyFrame, fields: Sequence[dict[str, Any]]
    ) -> tuple[pl.LazyFrame, list[Problem]]:
        import polars as pl

        typed: dict[str, tuple[pl.Expr, Mapping[str, Any]]] = {}
        for declared in fields:
            cast = _cast(declared)
            if cast is not None:
                typed[declared["name"]] = (cast, declared)
        if not typed:
            return frame, []
        failed = [
            (pl.col(n).is_not_null() & cast.is_null()).alias(n) for n, (cast, _) in typed.items()
        ]
        flags = frame.select(ROW, *(pl.col(n).alias(f"text {n}") for n in typed), *failed)
        bad = flags.filter(pl.any_horizontal(list(typed))).collect()
        problems = []
        for record in bad.iter_rows(named=True):
            for name, (_, field) in typed.items():
                if record[name]:
                    expected = _EXPECTED[field.get("type", "string")]
                    if field.get("type") == "date" and field.get("format") not in (
                        None,
                        "default",
                        "any",
                    ):
                        expected = f"a date as {field['format']}"
                    message = f"found {record[f'text {name}']!r}, expected {expected}"
                    problems.append(
                        Problem(
                            "",
                            message,
                            source=self.name,
                            location=self.location,
                            row=record[ROW],
                            field=name,
                            expected=expected,
                        )
                    )
        return frame.with_columns(cast.alias(n) for n, (cast, _) in typed.items()), problems


def _cast(field: Mapping[str, Any]) -> pl.Expr | None:
    import polars as pl

    text = pl.col(field["name"]).str.strip_chars()
    kind = field.get("type", "string")
    if kind in ("integer", "year"):
        return text.cast(pl.Int64, strict=False)
    if kind == "number":
        return text.cast(pl.Float64, strict=False)
    if kind == "boolean":
        true = field.get("trueValues", list(_TRUE))
        false = field.get("falseValues", list(_FALSE))
        return pl.when(text.is_in(true)).then(True).when(text.is_in(false)).then(False)
    if kind == "date":
        form = field.get("format")
        form = "%Y-%m-%d" if form in (None, "default", "any") else str(form)
        return text.str.to_date(form, strict=False)
    if kind == "datetime":
        form = field.get("format")
        if form in (None, "default", "any"):
            return text.str.to_datetime(strict=False)
        return text.str.to_datetime(str(form), strict=False)
    return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


@hookimpl
def register_data_sources() -> list[type[DataPackageSource]]:
    """Register the data package source."""
    return [DataPackageSource]
