"""From a path to text, and from text to plain data: reading, decoding and parsing model files.

Only a regular file is read, and never more of it than the size limit, so a symbolic link to
``/dev/zero`` or a FIFO with no writer is refused at once instead of filling memory or waiting
for ever. Text must be UTF-8; UTF-16 and UTF-32, which some editors on Windows save, are named.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from typing import TYPE_CHECKING

from socialcouncil import _problems
from socialcouncil.errors import ModelFileError, Problem

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["decode", "parse_json", "parse_toml", "read"]

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read(path: Path, limit: int) -> bytes:
    """The bytes of the regular file *path*, which must hold no more than *limit* of them.

    Raises:
        ModelFileError: when *path* cannot be opened, is not a regular file, or is too large.
    """
    source = str(path)
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one, for ever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _unreadable(source, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            message = f"cannot be read: found {kind}, expected a model file"
            raise ModelFileError(source, [Problem("", message)])
        if info.st_size > limit:
            raise ModelFileError(source, [_problems.too_large(info.st_size, limit)])
        chunks: list[bytes] = []
        got = 0
        # One byte past the limit is enough to tell that a file that grew is too large.
        while got <= limit:
            chunk = os.read(fd, min(limit + 1 - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise _unreadable(source, exc) from None
    finally:
        os.close(fd)
    if got > limit:
        raise ModelFileError(source, [_problems.too_large(got, limit)])
    return b"".join(chunks)


def _unreadable(source: str, exc: OSError) -> ModelFileError:
    reason = exc.strerror or str(exc)
    return ModelFileError(source, [Problem("", f"cannot be read: {reason}")])


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16's, which it starts with
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, when *raw* looks like mostly ASCII text in one of them without a BOM."""
    head = raw[:4096]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = [head[i : i + width] for i in range(0, len(head) - width + 1, width)]
        # An ASCII character is one non-zero byte and width - 1 zero bytes, in either order.
        wide = sum(1 for unit in units if unit.count(0) == width - 1)
        if units and wide >= 0.9 * len(units):
            return name
    return None


def decode(raw: str | bytes, source: str, limit: int) -> str:
    """The text of a model file, from its bytes (UTF-8, with or without a BOM) or its text.

    Raises:
        ModelFileError: for more than *limit* bytes (or characters), binary data, text in
            another encoding, or a file with nothing in it.
    """
    if len(raw) > limit:
        raise ModelFileError(source, [_problems.too_large(len(raw), limit)])
    if isinstance(raw, bytes):
        encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
        if encoding is None and b"\x00" in raw:
            encoding = _wide_encoding(raw)
        if encoding is not None:
            message = f"{encoding} text; expected a UTF-8 text file (save it as UTF-8)"
            raise ModelFileError(source, [Problem("", message)])
        if b"\x00" in raw:
            raise ModelFileError(source, [Problem("", "a binary file; expected a text file")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte {exc.start + 1}); expected a UTF-8 text file"
            raise ModelFileError(source, [Problem("", message)]) from None
    else:
        text = raw.removeprefix("\ufeff")
    if "\x00" in text:
        raise ModelFileError(source, [Problem("", "a binary file; expected a text file")])
    if not text.strip():
        message = "empty; expected a council model, starting with a [council] table"
        raise ModelFileError(source, [Problem("", message)])
    return text


def too_many_digits(text: str, source: str, language: str) -> ModelFileError | None:
    """The error for a whole number too long for Python to read, if *text* holds one."""
    limit = _problems.max_digits()
    if not limit:
        return None
    number = re.compile(rf"(?<![\w.\"'])[+-]?\d[\d_]{{{limit},}}")
    found = number.search(text)
    if found is None or sum(c.isdigit() for c in found.group()) <= limit:
        return None
    digits = sum(c.isdigit() for c in found.group())
    line, column = _problems.place(text, found.start())
    message = f"not valid {language}: {_problems.too_many_digits(digits)}"
    return ModelFileError(source, [Problem("", message, line, column)])


_TOML_PLACE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def parse_toml(text: str, source: str) -> object:
    """The plain data in TOML *text*, or a ModelFileError with the line and column."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = getattr(exc, "msg", None) or str(exc)
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        # Before Python 3.14, the place is only in the message: "... (at line 3, column 7)".
        place = _TOML_PLACE.search(message)
        if place is not None:
            message = message[: place.start()]
            if place.group(1):
                line, column = int(place.group(1)), int(place.group(2))
            else:
                line, column = _problems.place(text, len(text))
        problem = Problem("", f"not valid TOML: {message}", line, column)
        raise ModelFileError(source, [problem]) from None
    except ValueError as exc:  # a whole number too long to read
        raise too_many_digits(text, source, "TOML") or ModelFileError(
            source, [Problem("", f"not valid TOML: {exc}")]
        ) from None


class _DuplicateKeyError(ValueError):
    """A key that appears twice in one JSON object."""


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def parse_json(text: str, source: str) -> object:
    """The plain data in JSON *text*, or a ModelFileError with the line and column."""
    import json

    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            source, [Problem("", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]
        ) from None
    except _DuplicateKeyError as exc:
        raise ModelFileError(source, [Problem("", f"not valid JSON: {exc}")]) from None
    except ValueError as exc:  # a whole number too long to read
        raise too_many_digits(text, source, "JSON") or ModelFileError(
            source, [Problem("", f"not valid JSON: {exc}")]
        ) from None
