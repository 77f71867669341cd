"""socialcouncil's exceptions, rooted in :class:`SocialCouncilError`.

Every error socialcouncil raises on purpose is a :class:`SocialCouncilError`. A file that
cannot be read is a :class:`FileError` holding every :class:`Problem` found in it at once: a
:class:`ModelFileError` for a model file, a :class:`~socialcouncil.DataSourceError` for data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from socialcouncil.model.errors import InvalidValueError, SocialCouncilError, UnknownIdError

if TYPE_CHECKING:
    from socialcouncil._plugininfo import PluginInfo

__all__ = [
    "FileError",
    "InvalidValueError",
    "ModelFileError",
    "PluginError",
    "Problem",
    "SocialCouncilError",
    "UnknownIdError",
]


@attrs.frozen
class Problem:
    """One thing wrong with a model file, or with a row or column of a data source.

    Attributes:
        path: where in the model file, such as ``projects[2].calibrations[0].level``; empty
            for the file as a whole, and for a problem in a data source.
        message: what was found and what was expected, for a person to read.
        line: the line, for problems a parser found at a place in the text.
        column: the column on that line.
        source: the ``[[sources]]`` id of the data source, for a problem in its data.
        location: where that source reads from, as the model file writes it.
        row: the row's number as a person would count it (for a CSV file the header is row
            1); None for a problem that is not about one row.
        field: the source's column the problem is in, where it is in one.
        expected: what was expected, without what was found, for a problem about a value: the
            part of the message a history store keeps, since the found value may be personal.
            It restates part of the message, so two problems are equal whatever it holds.
    """

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    source: str | None = attrs.field(default=None, kw_only=True)
    location: str | None = attrs.field(default=None, kw_only=True)
    row: int | None = attrs.field(default=None, kw_only=True)
    field: str | None = attrs.field(default=None, kw_only=True)
    # Part of the message said again: equality and hashing follow the message.
    expected: str | None = attrs.field(default=None, kw_only=True, eq=False)

    def render(self, file: str | None = None) -> str:
        """The problem as one line, ``file:line:column: path: message``, less what is unknown.

        A problem in a data source reads ``location, row N, column 'field': message``.

        >>> Problem("projects[0].title", "missing; expected a string").render("council.toml")
        'council.toml: projects[0].title: missing; expected a string'
        >>> Problem("", "not valid JSON: Expecting value", line=3, column=7).render()
        '3:7: not valid JSON: Expecting value'
        >>> Problem("", "found 'six', expected a whole number from 1 to 5",
        ...         source="survey", location="data/survey.csv", row=7, field="Q1").render()
        "data/survey.csv, row 7, column 'Q1': found 'six', expected a whole number from 1 to 5"
        """
        if self.source is not None or self.location is not None:
            place = [self.location or self.source or ""]
            if self.row is not None:
                place.append(f"row {self.row}")
            if self.field is not None:
                place.append(f"column {self.field!r}")
            return f"{', '.join(p for p in place if p)}: {self.message}"
        place = [str(n) for n in (self.line, self.column) if n is not None] if self.line else []
        where = ":".join([file, *place] if file else place)
        parts = [p for p in (where, self.path, self.message) if p]
        return ": ".join(parts)


class FileError(SocialCouncilError, ValueError):
    """A file (or text) could not be read, or not all of it.

    Every problem found is in :attr:`problems`, not only the first; ``str()`` of the error
    lists them one per line.

    Attributes:
        file: the file's name, or a description such as ``"<string>"``.
        problems: everything that is wrong, in the order found.
    """

    def __init__(self, file: str, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.file = file
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"{file}: {count} problem{'s' if count != 1 else ''} found"
        lines = "\n".join(f"  {p.render(file)}" for p in self.problems)
        super().__init__(f"{heading}\n{lines}")


class ModelFileError(FileError):
    """A model file (or text) could not be read as a council."""


class PluginError(SocialCouncilError):
    """A plugin is broken: it cannot be imported, a hook raised, or it registered a clash.

    Args:
        message: what is wrong, naming the plugin.
        plugin: the plugin at fault, where there is one: a report can then name it apart from
            the message.
    """

    def __init__(self, message: str, *, plugin: PluginInfo | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin
