"""Sphinx configuration for the socialcouncil documentation.

The docs build offline: intersphinx reads the small inventories in ``_inventories/``. The local
extension in ``_ext/`` runs and compares the examples written in the pages (see its docstring,
and ``SOCIALCOUNCIL_DOCS_UPDATE=1`` to rewrite them), and writes the two tables generated from the
code (the built-in continua and plugins) into ``_generated/`` before the sources are read.
"""

from __future__ import annotations

import os
import pkgutil
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from sphinx import addnodes
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docstrings import prepare_docstring

import socialcouncil

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

# What the pages show never depends on which plugins are installed where the docs are built: the
# command's help, the examples and the doctests see socialcouncil's built-in plugins only.
os.environ["SOCIALCOUNCIL_LOAD_PLUGINS"] = ""

# -- Project ----------------------------------------------------------------------------------

project = "socialcouncil"
author = "The socialcouncil authors"
copyright = "The socialcouncil authors"  # noqa: A001 - the name Sphinx reads
release = socialcouncil.__version__
version = ".".join(release.split(".")[:2])

# -- General ----------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "myst_parser",
    "sphinx_click",
    "socialcouncil_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_inventories", "_ext", "examples", "Thumbs.db"]
nitpicky = True
language = "en"
# Keep "--strict" in command help as two hyphens: no smart dashes, only quotes and ellipses.
smartquotes_action = "qe"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon ---------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
python_use_unqualified_type_names = True
autodoc_preserve_defaults = False
autodoc_default_options = {"exclude-members": "__init__, __new__"}
# The model's annotations are strings (``from __future__ import annotations``); keep these
# names in signatures instead of spelling out the Literal each one stands for.
autodoc_type_aliases = {
    name: f"socialcouncil.{name}" for name in ("Status", "Confidence", "Direction", "Severity")
}

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

# -- intersphinx: offline inventories ---------------------------------------------------------

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inventories/python.inv"),
    "pluggy": ("https://pluggy.readthedocs.io/en/stable", "_inventories/pluggy.inv"),
    "click": ("https://click.palletsprojects.com/en/stable", "_inventories/click.inv"),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest", "_inventories/hypothesis.inv"),
    "sqlalchemy": ("https://docs.sqlalchemy.org/en/20", "_inventories/sqlalchemy.inv"),
}

# -- doctest ----------------------------------------------------------------------------------

# Examples load ``docs/examples/solihull.toml`` by a path relative to the repository root.
# The docstrings' own examples use the public names without importing them, as in the modules.
doctest_global_setup = f"""
import os
os.chdir({str(ROOT)!r})
import socialcouncil
from socialcouncil import *
from socialcouncil.store import *
"""

# -- HTML -------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"socialcouncil {release}"
html_static_path: list[str] = []

# -- References to the public API -------------------------------------------------------------

# The public objects are defined in submodules (socialcouncil.model.council.Council) but
# documented once, under the package (socialcouncil.Council). Type hints and docstrings refer to
# them by their deep or bare names; send those references to the documented object.
PUBLIC = frozenset(socialcouncil.__all__)

# Names that annotations under TYPE_CHECKING leave bare, and where they are documented.
OUTSIDE = {
    "Iterable": "collections.abc.Iterable",
    "Iterator": "collections.abc.Iterator",
    "Mapping": "collections.abc.Mapping",
    "Sequence": "collections.abc.Sequence",
    "Collection": "collections.abc.Collection",
    "Callable": "collections.abc.Callable",
    "Path": "pathlib.Path",
}


def _public_target(target: str) -> str | None:
    """``socialcouncil.Name[.member]`` for a deep or bare reference to a public name."""
    parts = target.split(".")
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in PUBLIC:
            if parts[:index] and parts[0] != "socialcouncil":
                return None
            return ".".join(["socialcouncil", *parts[index:]])
    return None


def _documented_target(env: BuildEnvironment, target: str) -> str | None:
    """The one documented socialcouncil object that *target* names without its full path."""
    key = target.rsplit(".", 1)[-1] if target.startswith("socialcouncil.") else target
    objects = env.get_domain("py").objects
    found = [n for n in objects if n.startswith("socialcouncil.") and n.endswith("." + key)]
    return found[0] if len(found) == 1 else None


def resolve_public_names(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Resolve a missing Python reference to the object the docs describe it as."""
    if node.get("refdomain") != "py":
        return None
    target: str = node["reftarget"]
    candidates = []
    public = _public_target(target)
    if public is not None and public != target:
        candidates.append(public)
    if target in OUTSIDE:
        candidates.append(OUTSIDE[target])
    # pluggy._manager.PluginManager is documented as pluggy.PluginManager.
    public_path = re.sub(r"\._\w+(?=\.)", "", target)
    if public_path != target and not target.startswith("socialcouncil."):
        candidates.append(public_path)
    documented = _documented_target(env, target)
    if documented is not None and documented != target:
        candidates.append(documented)
    domain = env.get_domain("py")
    for candidate in candidates:
        for role in (node["reftype"], "obj"):
            resolved = domain.resolve_xref(
                env, node["refdoc"], app.builder, role, candidate, node, contnode
            )
            if resolved is not None:
                return resolved
        if not candidate.startswith("socialcouncil."):
            from sphinx.ext.intersphinx import missing_reference

            node["reftarget"] = candidate
            resolved = missing_reference(app, env, node, contnode)
            node["reftarget"] = target
            if resolved is not None:
                return resolved
    return None


# -- Docstrings of re-exported data ------------------------------------------------------------


def _attribute_docs(name: str) -> list[str] | None:
    """The docstring written under the assignment of *name* in the module that defines it."""
    for module in pkgutil.walk_packages(socialcouncil.__path__, "socialcouncil."):
        try:
            analyzer = ModuleAnalyzer.for_module(module.name)
            analyzer.analyze()
        except PycodeError:
            continue
        docs = analyzer.attr_docs.get(("", name))
        if docs:
            return list(docs)
    return None


def use_defining_module_docs(  # noqa: PLR0917 - the arguments Sphinx passes
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Give re-exported data, such as ``socialcouncil.RULES``, the docstring written with it.

    autodoc looks for a data docstring in the module it is documented under (the package), and
    otherwise shows the docstring of the value's class, such as pluggy's for ``hookimpl``.
    """
    if what != "data" or not name.startswith("socialcouncil."):
        return
    package, _, short = name.rpartition(".")
    if package == "socialcouncil" and short in PUBLIC:
        docs = _attribute_docs(short)
        if docs is not None:
            lines[:] = docs
        elif lines == prepare_docstring(type(obj).__doc__ or ""):
            lines[:] = []


def keep_colons_in_prose(  # noqa: PLR0917 - the arguments Sphinx passes
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Keep napoleon from reading ``"Ids: lowercase letters ..."`` as a type and a description.

    For data, attributes and properties napoleon takes what comes before a colon on the first
    line as the type (Google's ``int: The count``). socialcouncil's docstrings are prose, so an
    empty type is put first: napoleon then keeps the whole line as the description.
    """
    if what in {"data", "attribute", "property"} and name.startswith("socialcouncil"):
        for index, line in enumerate(lines):
            if line.strip():
                if ":" in line:
                    lines[index] = f": {line}"
                break


# Napoleon writes attribute types with the names they are defined under; show the public name.
_DEEP_NAME = re.compile(r"\bsocialcouncil(?:\.\w+)+\.(\w+)\b")


def use_public_names(  # noqa: PLR0917 - the arguments Sphinx passes
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Replace ``socialcouncil.model.council.Value`` by ``socialcouncil.Value`` in docstrings."""

    def public(match: re.Match[str]) -> str:
        short = match.group(1)
        return f"socialcouncil.{short}" if short in PUBLIC else match.group(0)

    lines[:] = [_DEEP_NAME.sub(public, line) for line in lines]


_ALIAS_REPR = re.compile(r"TypeAliasForwardRef\('([\w.]+)'\)")


def tidy_signature(  # noqa: PLR0917 - the arguments Sphinx passes
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Write type aliases by name, and attrs factories as calls rather than ``= NOTHING``.

    autodoc shows an alias inside a union (``Confidence | None``) by its repr, and a field
    whose default is an attrs factory as ``NOTHING``.
    """
    if signature is None:
        return None
    signature = _ALIAS_REPR.sub(r"\1", signature)
    if what in {"class", "exception"} and isinstance(obj, type) and attrs.has(obj):
        for field in attrs.fields(obj):
            # A list given for a tuple field is converted, so the signature says Iterable[Any];
            # say what it holds, from the field's own annotation.
            items = re.fullmatch(r"tuple\[(.+), \.\.\.\]|Sequence\[(.+)\]", str(field.type))
            if items is not None:
                held = items.group(1) or items.group(2)
                signature = signature.replace(
                    f"{field.alias}: Iterable[Any]", f"{field.alias}: Iterable[{held}]"
                )
            if isinstance(field.default, attrs.Factory):
                factory = field.default.factory
                shown = repr(factory()) if factory in {dict, list} else f"{factory.__name__}()"
                signature = re.sub(
                    rf"(\b{field.alias}: [^=]+= )NOTHING\b", rf"\g<1>{shown}", signature
                )
    if return_annotation is not None:
        return_annotation = _ALIAS_REPR.sub(r"\1", return_annotation)
    return signature, return_annotation


def keep_source_links_in_package(app: Sphinx, modname: str, fullname: str) -> str | None:
    """Link ``socialcouncil.hookimpl`` and the type aliases to no source rather than pluggy's.

    viewcode follows a re-exported name to the module its object says it comes from; for a
    pluggy marker or a ``Literal`` alias that is pluggy or :mod:`typing`, not socialcouncil.
    """
    if not modname.startswith("socialcouncil"):
        return None
    obj: object = sys.modules.get(modname)
    for part in fullname.split("."):
        obj = getattr(obj, part, None)
    real = getattr(obj, "__module__", None)
    if isinstance(real, str) and not real.startswith("socialcouncil"):
        return modname
    return None


def builtin_type_references(app: Sphinx, doctree: nodes.document) -> None:
    """Send ``type`` in annotations (``type[DataSource]``) to Python's builtin.

    A signature's names are looked up loosely, so ``type`` would match any documented attribute
    named ``type`` (:attr:`Field.type <socialcouncil.Field.type>`,
    :attr:`Source.type <socialcouncil.Source.type>`); an exact lookup finds none and goes on to
    Python's inventory.
    """
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "py" and node.get("reftarget") == "type":
            # Sphinx searches loosely whenever the node has the attribute, whatever its value.
            node.attributes.pop("refspecific", None)


def setup(app: Sphinx) -> None:
    """Wire the handlers in: docstrings before and after napoleon; references after intersphinx."""
    app.connect("autodoc-process-docstring", use_defining_module_docs, priority=400)
    app.connect("autodoc-process-docstring", keep_colons_in_prose, priority=450)
    app.connect("autodoc-process-docstring", use_public_names, priority=600)
    app.connect("autodoc-process-signature", tidy_signature)
    app.connect("viewcode-follow-imported", keep_source_links_in_package, priority=100)
    app.connect("missing-reference", resolve_public_names, priority=800)
    app.connect("doctree-read", builtin_type_references)
