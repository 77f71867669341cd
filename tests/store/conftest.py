"""What the history store's tests share.

The store's locations on both engines, ``store_location`` (SQLite and a fresh database of a
throwaway PostgreSQL cluster), come from tests/_postgresql.py, registered for every test under
tests/ by tests/conftest.py. Here: child processes that record into a store, for the tests of
what concurrent use and a killed process leave behind.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


class Child:
    """A child process running tests/store/recording.py, talked to one line at a time."""

    def __init__(self, *arguments: str) -> None:
        command = [sys.executable, "-m", "tests.store.recording", *arguments]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def expect(self, word: str) -> None:
        """Wait until the child says *word*; fail with what it said if it says anything else."""
        assert self.process.stdout is not None
        said = self.process.stdout.readline().strip()
        if said != word:
            self.process.kill()
            _, errors = self.process.communicate()
            pytest.fail(f"expected the child to say {word!r}, it said {said!r}:\n{errors}")

    def tell(self, line: str = "go") -> None:
        """Send the child one line."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self) -> None:
        """Wait for the child to end, and fail unless it ended well."""
        out, errors = self.process.communicate()
        if self.process.returncode != 0 or out.strip() != "done":
            message = f"the child exited {self.process.returncode}, saying {out!r}:\n{errors}"
            pytest.fail(message)

    def kill(self) -> int:
        """Kill the child with SIGKILL, and wait for it: its exit status (-9)."""
        self.process.kill()
        self.process.communicate()
        return self.process.returncode


@pytest.fixture
def child() -> Iterator[Callable[..., Child]]:
    """Start child processes recording into a store; any still running at the end are killed."""
    started: list[Child] = []

    def start(*arguments: str) -> Child:
        started.append(Child(*arguments))
        return started[-1]

    yield start
    for each in started:
        if each.process.poll() is None:
            each.kill()


@pytest.fixture
def location(store_location: str) -> str:
    """Where a new, empty store is, on each engine in turn (``store_location``, by its
    shorter name in the store's own tests)."""
    return store_location
