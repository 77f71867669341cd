"""The history store's reference tables, written from the code so that they cannot drift.

Two directives, for ``reference/store.md``:

``{store-schema}``
    one section per table of the store, from its SQLAlchemy Core tables
    (``socialcouncil.store._schema``): each column's type on SQLite and on PostgreSQL, whether
    it may be empty, its keys, and what it holds, then the table's indexes.
``{store-package}``
    one section per table of a store package, from
    :data:`socialcouncil.store.package.RESOURCES`: each column's Table Schema type, whether it
    is required, and what it holds, then its keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

LOGGER = logging.getLogger(__name__)
_SCHEMA_MODULE = "socialcouncil.store._schema"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _table_docs() -> dict[str, str]:
    """Each table's docstring (the string after its assignment), by variable name."""
    found = ModuleAnalyzer.for_module(_SCHEMA_MODULE).find_attr_docs()
    return {name: " ".join(" ".join(lines).split()) for (_, name), lines in found.items()}


# What each column of the store holds, where its SQLAlchemy column has no comment of its own. A
# column with neither is a warning, so a new column cannot go undescribed.
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("meta", "key"): "What is recorded, such as `schema_version`.",
    ("meta", "value"): "Its value, as text.",
    ("runs", "id"): "The run's UUID.",
    ("runs", "recorded_at"): "When it was recorded, in UTC.",
    ("runs", "version"): "The socialcouncil version that recorded it.",
    ("runs", "council_name"): "The council's name, as it was, for listing runs.",
    (
        "runs",
        "council",
    ): "The council model as it was, as canonical JSON in the model file's shape.",
    ("runs", "model_file"): "The model file it was measured from, as given.",
    ("runs", "headlines"): "Each measured measure's headline indicator, by measure id (JSON).",
    ("runs", "breakdowns"): "What each measure's results are broken down by, by measure id (JSON).",
    ("runs", "unmeasured"): "The ids of the measures a problem left without results (JSON).",
    ("runs", "result_count"): "How many results the run holds, for the check.",
    ("runs", "problem_count"): "How many problems it holds, for the check.",
    ("runs", "source_count"): "How many sources it read, for the check.",
    ("results", "run"): "The run it belongs to.",
    ("results", "position"): "Its place in the run, from 1.",
    ("results", "measure"): "The id of the measure it is for.",
    ("results", "model"): "The measurement model that produced it.",
    ("results", "indicator"): "What it counts or measures.",
    ("results", "value"): "The figure, as measured: before disclosure control.",
    ("results", "n"): "The people or records behind it.",
    ("results", "people"): "Whether it stands on people, so that publishing suppresses it.",
    ("results", "kind"): "The indicator's kind: `count`, `percent`, `mean` or `index`.",
    ("results", "unit"): "The indicator's unit.",
    ("results", "period"): "The period it covers, where it is broken down by period.",
    ("results", "dimensions"): "What else it is broken down by, key to value (JSON).",
    ("problems", "run"): "The run it belongs to.",
    ("problems", "position"): "Its place in the run, from 1.",
    ("problems", "path"): "Where in the model file; empty for a problem in a source's data.",
    ("problems", "source"): "The `[[sources]]` id, for a problem in a source's data.",
    ("problems", "location"): "Where that source reads from.",
    ("problems", "row"): "The row's number, for a problem about one row.",
    ("problems", "field"): "The source's column, where the problem is in one.",
    ("problems", "expected"): "What was expected.",
    ("problems", "message"): "The message, for a problem not about a row; never a cell's value.",
    ("sources", "run"): "The run it belongs to.",
    ("sources", "position"): "Its place in the run, from 1.",
    ("sources", "id"): "The `[[sources]]` id.",
    ("sources", "type"): "The data source that read it, such as `csv`.",
    ("sources", "location"): "Where it was read from, as the model file writes it.",
    ("sources", "fingerprint"): "`sha256:` and the hex digest of the file read.",
    ("log_entries", "id"): "The entry's UUID.",
    ("log_entries", "date"): "The day it is about.",
    ("log_entries", "kind"): "`decision`, `lesson`, `story` or `event`.",
    ("log_entries", "author"): "Who wrote it.",
    ("log_entries", "text"): "What was decided, learnt, told or happened; empty once erased.",
    ("log_entries", "corrects"): "The entry it corrects, for a correction.",
    ("log_entries", "recorded_at"): "When it was added to the store, in UTC.",
    ("log_entries", "erased_at"): "When its text was erased.",
    ("log_links", "entry"): "The entry linked.",
    ("log_links", "kind"): "`projects`, `values`, `measures` or `big_moves`.",
    ("log_links", "position"): "Its place among the entry's links of that kind, from 1.",
    ("log_links", "target"): "The id linked to.",
    ("erasures", "id"): "The erasure's UUID.",
    ("erasures", "entry"): "The entry whose text was erased.",
    ("erasures", "erased_at"): "When, in UTC.",
    ("erasures", "reason"): "Why, where given; never the text erased.",
}


def schema_markdown() -> str:
    """The store's tables as Markdown: a section and a table of columns for each."""
    import importlib

    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    schema = importlib.import_module(_SCHEMA_MODULE)
    docs = _table_docs()
    names = {id(value): name for name, value in vars(schema).items() if isinstance(value, sa.Table)}
    dialects = (sqlite.dialect(), postgresql.dialect())
    lines: list[str] = []
    tables = getattr(schema, "TABLES", schema.metadata.sorted_tables)
    columns = {(t.name, c.name) for t in tables for c in t.columns}
    for table, column in sorted(DESCRIPTIONS.keys() - columns):
        LOGGER.warning(
            "DESCRIPTIONS in docs/_ext/store_tables.py describes %s.%s, which the store lacks",
            table,
            column,
        )
    for table in tables:
        lines += [f"### `{table.name}`", ""]
        doc = docs.get(names.get(id(table), ""))
        if doc:
            lines += [doc, ""]
        lines += [
            "| Column | SQLite | PostgreSQL | Empty | Key | What it holds |",
            "|---|---|---|---|---|---|",
        ]
        for column in table.columns:
            types = [f"`{column.type.compile(dialect=d)}`" for d in dialects]
            keys = ["primary key"] if column.primary_key else []
            keys += [f"references `{fk.target_fullname}`" for fk in column.foreign_keys]
            what = column.comment or DESCRIPTIONS.get((table.name, column.name))
            if what is None:
                LOGGER.warning(
                    "the store's column %s.%s has no description: give it a comment, or add it "
                    "to DESCRIPTIONS in docs/_ext/store_tables.py",
                    table.name,
                    column.name,
                )
            lines.append(
                f"| `{column.name}` | {types[0]} | {types[1]} | "
                f"{'no' if not column.nullable else 'may be'} | {', '.join(keys)} | "
                f"{_cell(what)} |"
            )
        lines.append("")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            columns = ", ".join(f"`{c.name}`" for c in index.columns)
            lines += [f"Index `{index.name}` on {columns}.", ""]
    return "\n".join(lines)


def package_markdown() -> str:
    """The tables of a store package as Markdown: a section and a table of columns for each."""
    from socialcouncil.store.package import RESOURCES

    lines: list[str] = []
    for resource in RESOURCES:
        lines += [f"### `{resource.path}`", "", f"{resource.title}.", ""]
        lines += ["| Column | Type | Required | What it holds |", "|---|---|---|---|"]
        for column in resource.columns:
            kind = column.type + (f" ({column.format})" if column.format else "")
            more = f" One of {', '.join(f'`{e}`' for e in column.enum)}." if column.enum else ""
            lines.append(
                f"| `{column.name}` | {kind} | {'no' if column.optional else 'yes'} | "
                f"{_cell(column.description)}{more} |"
            )
        lines.append("")
        key = ", ".join(f"`{k}`" for k in resource.primary_key)
        lines += [f"Primary key: {key}."]
        for fields, to, keys in resource.foreign_keys:
            lines[-1] += (
                f" Foreign key: {', '.join(f'`{f}`' for f in fields)} references "
                f"`{to}.{', '.join(keys)}`."
            )
        lines.append("")
    return "\n".join(lines)


class StoreSchema(SphinxDirective):
    """``{store-schema}``: the store's tables, from its SQLAlchemy Core tables."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(schema_markdown())


class StorePackage(SphinxDirective):
    """``{store-package}``: the tables of a store package, from its Table Schemas."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(package_markdown())


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("store-schema", StoreSchema)
    app.add_directive("store-package", StorePackage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
