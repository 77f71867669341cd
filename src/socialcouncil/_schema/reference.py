"""The key descriptions of the file format reference, for the schema.

``docs/reference/file-format.md`` has a section for every table of a model file, headed with
the table's name as TOML writes it (```[council]```, ```[[thread.priorities]]```; "Top level"
for the top), and a row for every key, whose last column says what the key means. That text is
what an editor shows for the key, with the page's MyST markup made plain Markdown: a link to a
section of the page becomes its text, and a link to another page the address of that page in
the published docs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from socialcouncil._schema import DOCS_URL, model_schema, tables

if TYPE_CHECKING:
    from socialcouncil._schema import Descriptions

__all__ = ["PAGE", "NoDescriptionError", "descriptions", "plain", "plain_schema"]

PAGE = "reference/file-format"
"""The docs page the descriptions come from, as Sphinx names it."""

TOP_LEVEL = "Top level"

_HEADING = re.compile(r"^#+ (.+?)\s*$", re.MULTILINE)
_CODE_BLOCK = re.compile(r"^```.*?^```\s*$", re.MULTILINE | re.DOTALL)
_ROW = re.compile(r"^\| `([a-z_]+)` \|(.*)\|\s*$", re.MULTILINE)
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_ROLE = re.compile(r"\{(\w+)\}`([^`<]*?)\s*(?:<([^>`]+)>)?`")
_SECTION_LINK = re.compile(r"\[((?:`[^`]*`|[^\]`])+)\]\(#[^)]*\)")


class NoDescriptionError(Exception):
    """The reference page lacks a table's section or a key's row."""


def heading(name: str, many: bool) -> str:
    """The heading of a table's section: ```[[thread.priorities]]```, or "Top level"."""
    if not name:
        return TOP_LEVEL
    return f"`[[{name}]]`" if many else f"`[{name}]`"


def descriptions(text: str) -> Descriptions:
    """The description of every key of every table, from the reference page's *text*.

    Raises:
        NoDescriptionError: naming every table without a section and every key without a row.
    """
    text = _CODE_BLOCK.sub("", text)
    parts = _HEADING.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    found: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    from socialcouncil._shape import file_keys

    for name, cl, many in tables():
        title = heading(name, many)
        body = sections.get(title)
        if body is None:
            missing.append(f"no section {title!r} for the keys of {name or 'the top level'}")
            continue
        rows = {key: _CELL_SEPARATOR.split(rest)[-1] for key, rest in _ROW.findall(body)}
        found[name] = {}
        for key in file_keys(cl):
            if key not in rows:
                missing.append(f"{title}: no row for the key {key!r}")
                continue
            found[name][key] = plain(rows[key].strip())
    if missing:
        raise NoDescriptionError(f"{PAGE}.md: " + "; ".join(missing))
    return found


def plain(cell: str) -> str:
    """A table cell's MyST markup as Markdown an editor renders.

    >>> plain("see [`[council]`](#council)")
    'see `[council]`'
    >>> plain("see {doc}`../explanation/disclosure-control`")
    'see https://socialcouncil.readthedocs.io/en/stable/explanation/disclosure-control.html'
    >>> plain("{attr}`Crosswalk.from_ <socialcouncil.Crosswalk.from_>`")
    '`Crosswalk.from_`'
    """
    cell = _SECTION_LINK.sub(r"\1", cell)
    cell = _ROLE.sub(_role, cell)
    return cell.replace("\\|", "|")


def _role(match: re.Match[str]) -> str:
    role, text, target = match.group(1), match.group(2), match.group(3)
    if role == "doc":
        page = _doc_path(target or text)
        return f"{DOCS_URL}{page}.html"
    return f"`{text or target}`"


def _doc_path(target: str) -> str:
    """A ``{doc}`` target, relative to the reference page, as a path from the docs' root."""
    parts = PAGE.split("/")[:-1]
    for part in target.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part not in {"", "."}:
            parts.append(part)
    return "/".join(parts)


def plain_schema(text: str) -> dict[str, Any]:
    """The schema to commit: built-in ids only, and the descriptions of the reference's *text*."""
    from socialcouncil.plugins import isolated_registry

    return model_schema(isolated_registry(), descriptions=descriptions(text))
