r"""Everything the command prints passes through here, so that printing never fails or misleads.

Two promises hold for every line, whoever wrote it (socialcouncil, a model file, a plugin):

- Printing never raises :class:`UnicodeEncodeError`: a character the output's encoding cannot
  hold (``●`` on a cp1252 or ASCII stream) is printed as ``?``, and :func:`can_encode` lets
  the text rendering choose plain ASCII instead where it knows a better one.
- Terminal control characters are never printed raw: an escape sequence in a project's title
  could otherwise hide the lines after it, rewrite the terminal's title or move the cursor.
  Each is shown as a Python-style escape, such as ``\x1b``; only newlines and tabs pass, and
  the few colour codes of socialcouncil's own ``error:`` and ``warning:`` labels.

JSON stays valid JSON: :func:`json_text` escapes what the stream cannot hold, or could act on,
as ``\uXXXX``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "WIDTH",
    "SafeStream",
    "can_encode",
    "clean",
    "json_text",
    "one_line",
    "safe_streams",
    "wrap",
]

# C0 controls but tab and newline, DEL, and the C1 controls (U+009B is a one-character CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The colour codes click.style writes for the labels of socialcouncil's own messages: reset,
# bold, red and yellow. None of them can hide text, move the cursor or talk to the terminal.
_OWN_STYLE = re.compile(r"\x1b\[(?:0|1|31|33)m")
_CONTROL_OR_STYLE = re.compile(rf"{_OWN_STYLE.pattern}|{_CONTROL.pattern}")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\x{ord(char):02x}" if len(char) == 1 else char


def clean(text: str, *, styles: bool = False) -> str:
    r"""*text* with every control character but newline and tab shown as an escape.

    With *styles*, socialcouncil's own label colours are kept.

    >>> clean("Caf\u00e9\x1b]0;pwned\x07 [cafe]")
    'Café\\x1b]0;pwned\\x07 [cafe]'
    """
    if styles:
        return _CONTROL_OR_STYLE.sub(_escape, text)
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    r"""*text* on one line: runs of whitespace, newlines among them, become one space.

    >>> one_line("boom\n  at line 3")
    'boom at line 3'
    """
    return " ".join(text.split())


def _encoding(stream: object) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def can_encode(text: str, *, err: bool = False) -> bool:
    """Whether standard output (or error, with *err*) can print *text* as it is."""
    stream = sys.stderr if err else sys.stdout
    try:
        text.encode(_encoding(stream))
    except UnicodeEncodeError:
        return False
    except LookupError:  # an encoding Python does not know: assume the worst
        return text.isascii()
    return True


def json_text(data: Any, *, indent: int | None = 2) -> str:
    r"""*data* as JSON that standard output can print as it is and no terminal acts on.

    Text stays readable where the stream can hold it; otherwise every character outside
    ASCII is written as a ``\uXXXX`` escape, which every JSON reader turns back.
    """
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    if not can_encode(text):
        text = json.dumps(data, indent=indent, ensure_ascii=True)
    # json leaves DEL and the C1 controls as they are; outside strings JSON is plain ASCII,
    # so every one of them is inside a string, where an escape means the same character.
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream(io.TextIOBase):
    """A text stream that writes to *target* only what it can print and no terminal acts on.

    It has no ``buffer``: whatever writes to it, click included, goes through :meth:`write`.
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The encoding of the stream written to."""
        return _encoding(self.target)

    @property
    def errors(self) -> str:  # type: ignore[override]
        """Characters the encoding cannot hold are replaced."""
        return "replace"

    @property
    def name(self) -> str:
        """The name of the stream written to."""
        return str(getattr(self.target, "name", "<stream>"))

    def writable(self) -> bool:
        """Always: the stream is for writing."""
        return True

    def write(self, text: str) -> int:
        """Write *text*, its control characters escaped and its unprintable characters replaced."""
        if not isinstance(text, str):
            # click asks whether a stream takes bytes by writing b"" to it.
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        safe = clean(text, styles=True)
        encoding = self.encoding
        try:
            safe.encode(encoding)
        except UnicodeEncodeError:
            safe = safe.encode(encoding, "replace").decode(encoding)
        except LookupError:
            safe = safe.encode("ascii", "replace").decode("ascii")
        self.target.write(safe)
        return len(text)

    def flush(self) -> None:
        """Flush the stream written to, unless it is closed (as at exit, or after a test)."""
        if not getattr(self.target, "closed", False):
            self.target.flush()

    def isatty(self) -> bool:
        """Whether the stream written to is a terminal (so that colour is shown)."""
        return bool(getattr(self.target, "isatty", lambda: False)())

    def fileno(self) -> int:
        """The file descriptor of the stream written to."""
        return int(self.target.fileno())


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """While the block runs, standard output and error are :class:`SafeStream` objects."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.flush()
        sys.stdout, sys.stderr = saved


WIDTH = 96
"""The width prose is wrapped to."""


def wrap(text: str, indent: str, first: str | None = None) -> str:
    """*text* filled to :data:`WIDTH` columns, never splitting an id or a long word."""
    return textwrap.fill(
        one_line(text),
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,  # never split an id such as "household-recycling"
        break_long_words=False,
    )
