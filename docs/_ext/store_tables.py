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
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

_SCHEMA_MODULE = "socialcouncil.store._schema"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _table_docs() -> dict[str, str]:
    """Each table's docstring (the string after its assignment), by variable name."""
    found = ModuleAnalyzer.for_module(_SCHEMA_MODULE).find_attr_docs()
    return {name: " ".join(" ".join(lines).split()) for (_, name), lines in found.items()}


def _descriptions() -> dict[tuple[str, str], str]:
    """What each column holds, as the store package describes the same column."""
    from socialcouncil.store.package import RESOURCES

    return {(r.name, c.name): c.description for r in RESOURCES for c in r.columns}


def schema_markdown() -> str:
    """The store's tables as Markdown: a section and a table of columns for each."""
    import importlib

    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    schema = importlib.import_module(_SCHEMA_MODULE)
    docs = _table_docs()
    described = _descriptions()
    names = {id(value): name for name, value in vars(schema).items() if isinstance(value, sa.Table)}
    dialects = (sqlite.dialect(), postgresql.dialect())
    lines: list[str] = []
    for table in schema.metadata.sorted_tables:
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
            what = column.comment or described.get((table.name, column.name), "")
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
