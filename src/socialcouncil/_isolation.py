"""Running a plugin's code so that, whatever it does, the program carries on with clean output.

Every piece of plugin code socialcouncil runs (a plugin's import, each hook call, a data
source's read, a model's measure, an exporter's export) runs inside :func:`plugin_code`:

- what it prints goes to standard error, so that it never corrupts what a command prints on
  standard output, such as a ``--format json`` report;
- a ``sys.exit()``, a ``KeyboardInterrupt`` it raises itself, or any other exception that is not
  an :class:`Exception` comes out as a :class:`PluginExit`, an ordinary exception that the
  caller names and leaves out like any other failure;
- but a real Ctrl-C, pressed by the user while plugin code runs, still stops the program.

Telling the two interrupts apart needs a signal handler: while plugin code runs, the handler for
SIGINT notes that the key was pressed before raising :class:`KeyboardInterrupt` as Python's own
does. Where no handler can be installed (outside the main thread, or where the program has a
SIGINT handler of its own), every :class:`KeyboardInterrupt` is taken to be the user's and
stops the program.

This module imports only the standard library, so that the command's machinery can use it
without loading the plugin manager.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

__all__ = ["PluginExit", "describe", "plugin_code"]


class PluginExit(Exception):  # noqa: N818 - it reports an exit, it is not an error of its own
    """Plugin code raised an exception that is not an :class:`Exception`, such as SystemExit.

    Attributes:
        raised: what the plugin code raised.
    """

    def __init__(self, raised: BaseException) -> None:
        super().__init__(raised)
        self.raised = raised

    def __repr__(self) -> str:
        return repr(self.raised)

    def __str__(self) -> str:
        return repr(self.raised)


def describe(exc: BaseException) -> str:
    """The exception on one line, as the messages about plugins name it."""
    return " ".join(repr(exc).split())


_depth = 0  # how many plugin_code blocks are running; the outermost owns the handler
_pressed = False  # whether the user pressed Ctrl-C while plugin code ran


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    global _pressed  # noqa: PLW0603 - set by a signal handler, read by the blocks running
    _pressed = True
    raise KeyboardInterrupt


@contextlib.contextmanager
def plugin_code(*, redirect_output: bool = True) -> Iterator[None]:
    """Run plugin code: its output goes to standard error, and its exits become exceptions.

    Args:
        redirect_output: whether to send what the code prints to standard error.

    Raises:
        PluginExit: for a :class:`BaseException` that is not an :class:`Exception`, unless it
            is the user's own Ctrl-C, which is raised as it is.
    """
    global _depth, _pressed  # noqa: PLW0603 - one handler for the outermost block
    installed = None
    if _depth == 0:
        _pressed = False
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            installed = signal.signal(signal.SIGINT, _on_sigint)
    tracking = installed is not None or _tracking
    _depth += 1
    try:
        with _tracked(tracking), _output(redirect_output):
            yield
    except KeyboardInterrupt as exc:
        if _pressed or not tracking:
            raise
        raise PluginExit(exc) from exc
    except Exception:
        raise
    except BaseException as exc:
        raise PluginExit(exc) from exc
    finally:
        _depth -= 1
        if installed is not None:
            signal.signal(signal.SIGINT, installed)


_tracking = False  # whether the outermost running block installed the handler


@contextlib.contextmanager
def _tracked(tracking: bool) -> Iterator[None]:
    global _tracking  # noqa: PLW0603
    before, _tracking = _tracking, tracking
    try:
        yield
    finally:
        _tracking = before


def _output(redirect: bool) -> contextlib.AbstractContextManager[object]:
    if redirect:
        return contextlib.redirect_stdout(sys.stderr)
    return contextlib.nullcontext()
