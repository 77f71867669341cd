"""Exporters: plugins that write a council and its results somewhere.

An exporter is a class registered through the ``register_exporters`` hook. It has a unique
:attr:`~Exporter.name` and the file :attr:`~Exporter.suffix` it writes, and writes an
:class:`ExportContext` (the council, the results) to a destination. Exporters write files
atomically: a file is whole, or untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

import attrs

from socialcouncil.measurement import Result
from socialcouncil.model import Council
from socialcouncil.model.validators import as_tuple

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["ExportContext", "Exporter"]


@attrs.frozen
class ExportContext:
    """Everything an exporter is given.

    Attributes:
        council: the council to write.
        results: the results of measurement models, if any were run.
    """

    council: Council
    results: Sequence[Result] = attrs.field(default=(), converter=as_tuple)


@runtime_checkable
class Exporter(Protocol):
    """What an exporter class offers.

    Attributes:
        name: unique among exporters; how a command chooses it.
        description: one sentence on what it writes.
        suffix: the suffix of the file it writes, such as ``".json"``, or ``""`` for an
            exporter that writes a folder.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, **options: str) -> None:
        """Make the exporter, with options that tune it (none for most exporters)."""

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the context to *destination*, a file (or a folder, where suffix is ``""``)."""
        ...
