"""Reading and writing model files: TOML, JSON and, with the ``yaml`` extra, YAML.

Every format goes through one cattrs converter configuration, so every format, exporter and
store agrees on one shape. Loading runs a fast pass first; only when that fails does a second,
detailed pass run to collect every problem in the file with its path.

This module is the public face; the work is done in private modules, one job each: the file's
shape (``_shape``), the converter (``_converter``), problems for people (``_problems``), reading
and parsing (``_reading``, ``_yaml``) and atomic writing (``_atomic``).
"""

from __future__ import annotations

# The API reference evaluates these functions' annotations, so their names exist at run time.
import os  # noqa: TC003
from pathlib import Path
from typing import Any, Literal

from socialcouncil import _shape
from socialcouncil._atomic import write_atomically, write_folder_atomically
from socialcouncil._shape import FORMAT_VERSION
from socialcouncil.errors import ModelFileError, Problem
from socialcouncil.model import Council  # noqa: TC001

__all__ = [
    "FORMATS",
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "Format",
    "dump",
    "dumps",
    "load",
    "loads",
    "structure",
    "unstructure",
    "write_atomically",
    "write_folder_atomically",
]

Format = Literal["toml", "json", "yaml"]
"""The model file formats."""

FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")
"""Every format :func:`load` reads and :func:`dump` writes."""

MAX_FILE_SIZE = 64 * 1024 * 1024
"""The largest model file read, in bytes (64 MiB).

A council of 10,000 projects takes about 10 MiB. No more than this is ever read from a file.
"""

MAX_DEPTH = 32
"""The deepest nesting of tables and lists read; the model itself needs five levels."""

# The file format's reference page lists the keys of these two, as files._Document and _Header.
_Document = _shape.Document
_Header = _shape.Header

_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def structure(data: object, *, source: str = "<data>") -> Council:
    """Build a :class:`~socialcouncil.model.Council` from plain data in the model file's shape.

    *data* is what a TOML, JSON or YAML parser returns for a model file. Every problem is
    collected into one :class:`~socialcouncil.errors.ModelFileError`, named after *source*.
    """
    from socialcouncil import _converter

    return _converter.structure(data, source, MAX_DEPTH)


def unstructure(council: Council) -> dict[str, Any]:
    """Plain data in the model file's shape: the inverse of :func:`structure`.

    Dates stay :class:`datetime.date` objects; fields left at their defaults are left out.
    """
    from socialcouncil import _converter

    return _converter.unstructure(council)


def _known_format(format: str, source: str) -> Format:  # noqa: A002
    if format not in FORMATS:
        message = f"unknown format {format!r}; expected one of {', '.join(FORMATS)}"
        raise ModelFileError(source, [Problem("", message)])
    return format


def _parse(text: str, format: Format, source: str) -> object:  # noqa: A002
    from socialcouncil import _problems, _reading

    try:
        if format == "toml":
            return _reading.parse_toml(text, source)
        if format == "json":
            return _reading.parse_json(text, source)
        from socialcouncil import _yaml

        return _yaml.parse(text, source)
    except RecursionError:
        raise ModelFileError(source, [_problems.too_deep(MAX_DEPTH)]) from None


def loads(text: str | bytes, format: Format = "toml", *, source: str = "<string>") -> Council:  # noqa: A002
    """Read a council from the text of a model file.

    >>> council = loads('''
    ... [council]
    ... name = "Solihull Metropolitan Borough Council"
    ... ''')
    >>> council.name
    'Solihull Metropolitan Borough Council'

    Args:
        text: the file's contents, as text or as UTF-8 bytes.
        format: ``"toml"``, ``"json"`` or ``"yaml"`` (YAML needs the ``yaml`` extra).
        source: the name used for the text in error messages.

    Raises:
        ModelFileError: with every problem found, each with its path in the file.
    """
    from socialcouncil import _reading

    known = _known_format(format, source)
    data = _parse(_reading.decode(text, source, MAX_FILE_SIZE), known, source)
    return structure(data, source=source)


def _format_of(path: Path, format: Format | None) -> Format:  # noqa: A002
    if format is not None:
        return _known_format(format, str(path))
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        expected = ", ".join(sorted(_SUFFIXES))
        message = f"cannot tell the format from the suffix {path.suffix!r}; expected {expected}"
        raise ModelFileError(str(path), [Problem("", message)])
    return found


def load(path: str | os.PathLike[str], *, format: Format | None = None) -> Council:  # noqa: A002
    """Read a council from a model file.

    The format comes from the file's suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) unless
    *format* is given.

    Raises:
        ModelFileError: with every problem found, each with its path in the file; also when the
            file cannot be read, is not a regular file (a folder, a FIFO, a device), is empty,
            is binary or not UTF-8, or is larger than :data:`MAX_FILE_SIZE`.
    """
    from socialcouncil import _reading

    file = Path(path)
    fmt = _format_of(file, format)
    return loads(_reading.read(file, MAX_FILE_SIZE), fmt, source=str(file))


def dumps(council: Council, format: Format = "toml") -> str:  # noqa: A002
    """The text of a model file for *council*; :func:`loads` reads it back to an equal council.

    Raises:
        ModelFileError: for an unknown *format*, as :func:`loads` does.
    """
    known = _known_format(format, "<string>")
    data = unstructure(council)
    if known == "toml":
        import tomli_w

        # Multi-line strings read better, but TOML readers turn a carriage return before a
        # line break into a bare line break; text holding a carriage return is escaped.
        return tomli_w.dumps(data, multiline_strings=not _has_carriage_return(data))
    if known == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    from socialcouncil import _yaml

    return _yaml.dump(data)


def _has_carriage_return(data: object) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\r" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _json_default(value: object) -> object:
    import datetime

    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def dump(council: Council, path: str | os.PathLike[str], *, format: Format | None = None) -> None:  # noqa: A002
    """Write *council* to a model file, atomically: the file is whole, or untouched.

    The format comes from the suffix unless *format* is given. A file that is already there
    keeps its permissions and group; a new one gets the permissions the umask allows; a symbolic
    link is written through, to the file it names.

    Raises:
        ModelFileError: for an unknown format or suffix.
        OSError: when the file cannot be written.
    """
    file = Path(path)
    text = dumps(council, _format_of(file, format))
    write_atomically(file, text)
