"""YAML model files, read with a safe loader only. Needs the ``yaml`` extra (PyYAML).

The C loader (libyaml) is used where PyYAML was built with it, as it reads a large council many
times faster; both loaders refuse the same things: aliases, duplicate keys, and keys that YAML
1.1 reads as something other than text (``no`` is false, ``0x1f`` is 31).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from socialcouncil import _problems
from socialcouncil.errors import ModelFileError, Problem

__all__ = ["dump", "parse"]


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        return None
    return yaml


_TAG = "tag:yaml.org,2002:"
_KINDS = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "timestamp": "a date or time",
    "null": "null",
    "binary": "base64-encoded bytes",
}


def _shown(value: object) -> str:
    """A value as YAML writes it, such as ``false`` or ``31``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    return repr(value) if isinstance(value, (str, bytes)) else str(value)


def _unbuildable(node: Any, exc: Exception) -> str:
    tag = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
    value = node.value if isinstance(node.value, str) else ""
    digits = sum(c.isdigit() for c in value)
    limit = _problems.max_digits()
    if tag == "int" and limit and digits > limit:
        return _problems.too_many_digits(digits)
    kind = _KINDS.get(tag, f"a value tagged {node.tag}")
    # A ValueError says why (such as "month must be in 1..12"); others only say where it broke.
    reason = f": {exc}" if type(exc) is ValueError and str(exc) else ""
    return f"cannot read {value!r} as {kind} (!!{tag}){reason}"


_ALIAS = "aliases (*name) are not allowed in model files; write this out in full"


@functools.cache
def _loader() -> Any:
    yaml = _yaml()
    # CSafeLoader exists only where PyYAML was built with libyaml.
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    error = yaml.constructor.ConstructorError
    string, scalar = f"{_TAG}str", yaml.ScalarNode

    class Loader(base):  # type: ignore[misc,valid-type]
        """A safe loader that refuses aliases, duplicate keys and keys that are not text."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.key_problems: list[Problem] = []
            self.strings: set[object] = set()

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            # The composers give an alias the very node its anchor names, so a node built
            # twice is an alias: refused because a few lines of them can expand into a
            # structure too large to walk. Every node but an alias's is built exactly once.
            if node.tag == string and type(node) is scalar:
                # Most nodes are strings; building them here, with no bookkeeping, is quicker.
                if node in self.strings:
                    raise error(None, None, _ALIAS, node.start_mark)
                self.strings.add(node)
                return node.value
            if node in self.constructed_objects or node in self.recursive_objects:
                raise error(None, None, _ALIAS, node.start_mark)
            try:
                return super().construct_object(node, deep=deep)
            except yaml.YAMLError:
                raise
            except Exception as exc:  # noqa: BLE001 - a scalar its tag's constructor refuses
                raise error(None, None, _unbuildable(node, exc), node.start_mark) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            # SafeConstructor's own loop, building each key once so that the alias check above
            # holds, and checking each key as it goes.
            if not isinstance(node, yaml.MappingNode):
                found = f"expected a mapping node, found {node.id}"
                raise error(None, None, found, node.start_mark)
            self.flatten_mapping(node)
            mapping: dict[object, object] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                self._check_key(key_node, key, mapping)
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

        def _check_key(self, key_node: Any, key: object, mapping: dict[object, object]) -> None:
            mark = key_node.start_mark
            if isinstance(key, str):
                if key in mapping:
                    raise error(None, None, f"the key {key!r} appears twice", mark)
                return
            if isinstance(key_node, yaml.ScalarNode):
                text = key_node.value
                message = (
                    f"the key {text} was read as {_shown(key)}; "
                    f'put it in quotes ("{text}") to keep it as text'
                )
            else:
                found = "a list" if isinstance(key_node, yaml.SequenceNode) else "a table"
                message = f"found {found} as a key, expected text"
            try:
                hash(key)
            except TypeError:  # a list or a table as a key: nothing more can be built
                raise error(None, None, message, mark) from None
            self.key_problems.append(Problem("", message, mark.line + 1, mark.column + 1))

    return Loader


def parse(text: str, source: str) -> object:
    """Parse YAML text with a safe loader that also refuses aliases and duplicate keys.

    Aliases are refused because a few lines of them can expand into a structure too large to
    walk; duplicate keys because YAML would otherwise keep the last one silently; keys that YAML
    1.1 reads as booleans, numbers or dates because the model's keys are all text.
    """
    yaml = _yaml()
    if yaml is None:
        message = "reading YAML needs PyYAML; install socialcouncil[yaml]"
        raise ModelFileError(source, [Problem("", message)])
    loader = _loader()(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise ModelFileError(source, [*loader.key_problems, _marked(exc)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as \x07
        line, column = _problems.place(text, exc.position)
        character = exc.character
        shown = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        reason = f"unacceptable character {shown}"
        problem = Problem("", f"not valid YAML: {reason}", line, column)
        raise ModelFileError(source, [problem]) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise ModelFileError(source, [Problem("", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if loader.key_problems:
        raise ModelFileError(source, loader.key_problems)
    return data


def _marked(exc: Any) -> Problem:
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    reason = exc.problem or str(exc)
    if "exceeded maximum nesting depth" in reason:  # libyaml's own limit
        reason = "nested too deeply"
    return Problem("", f"not valid YAML: {reason}", line, column)


def dump(data: object) -> str:
    """YAML text for plain data, written with the safe dumper, without anchors or aliases."""
    yaml = _yaml()
    if yaml is None:
        message = "writing YAML needs PyYAML; install socialcouncil[yaml]"
        raise ModelFileError("<yaml>", [Problem("", message)])
    text: str = yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True)
    return text


@functools.cache
def _dumper() -> Any:
    yaml = _yaml()

    class Dumper(yaml.SafeDumper):  # type: ignore[misc,name-defined]
        def ignore_aliases(self, data: object) -> bool:
            # One object in two places (two calibrations sharing a date) would otherwise be
            # written once with an anchor and then as an alias, which parse() refuses.
            return True

    def represent_str(dumper: Any, value: str) -> Any:
        # YAML reads these characters as line breaks unless they are escaped, and only the
        # double-quoted style escapes them.
        style = '"' if any(c in value for c in _LINE_BREAKS) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


_LINE_BREAKS = "\r\x85\u2028\u2029"
