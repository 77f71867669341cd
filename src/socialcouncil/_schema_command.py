"""The ``schema`` command: the JSON Schema of the model file, for editors.

A built-in command of the ``socialcouncil`` group, added to it by :mod:`socialcouncil.cli`. The
schema is made only when the command runs, so that ``socialcouncil --help`` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["schema_command"]


@click.command(name="schema")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of printing it.",
)
@click.option(
    "--no-plugins",
    is_flag=True,
    help=(
        "Offer only socialcouncil's own continua, models, data sources and rules, not those "
        "of installed plugins: the schema published with the docs."
    ),
)
def schema_command(output: Path | None, no_plugins: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of the model file.

    Editors use it to complete keys, describe them and flag mistakes as you type. Ids of the
    registered continua, measurement models, data sources and rules are offered as examples.
    Checks the schema cannot make, such as ids that must exist, need `socialcouncil validate`.
    """
    from socialcouncil import cli
    from socialcouncil._schema import model_schema, schema_text
    from socialcouncil.plugins import isolated_registry, registry

    found = isolated_registry(strict=False) if no_plugins else registry()
    text = schema_text(model_schema(found))
    if output is None:
        click.echo(text, nl=False)
        return
    from socialcouncil.files import write_atomically

    try:
        write_atomically(output, text)
    except OSError as exc:
        cli._error(cli._cannot_write(exc, output))
        sys.exit(cli.EXIT_UNUSABLE)
    click.echo(f"wrote {output}")
