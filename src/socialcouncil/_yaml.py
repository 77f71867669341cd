"""YAML model files, read with a safe loader only. Needs the ``yaml`` extra (PyYAML)."""

from __future__ import annotations

from typing import Any

from socialcouncil.errors import ModelFileError, Problem

__all__ = ["dump", "parse"]


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        return None
    return yaml


def parse(text: str, source: str) -> object:
    """Parse YAML text with a safe loader that also refuses aliases and duplicate keys.

    Aliases are refused because a few lines of them can expand into a structure too large to
    walk; duplicate keys because YAML would otherwise keep the last one silently.
    """
    yaml = _yaml()
    if yaml is None:
        message = "reading YAML needs PyYAML; install socialcouncil[yaml]"
        raise ModelFileError(source, [Problem("", message)])

    class Loader(yaml.SafeLoader):  # type: ignore[misc,name-defined]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in model files", event.start_mark
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    duplicate = False
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice", key_node.start_mark
                    )
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = exc.problem or str(exc)
        raise ModelFileError(
            source, [Problem("", f"not valid YAML: {reason}", line, column)]
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # A well-formed document whose scalars cannot be built, such as the date 2025-13-45.
        raise ModelFileError(source, [Problem("", f"not valid YAML: {exc}")]) from None


def dump(data: object) -> str:
    """YAML text for plain data, written with the safe dumper."""
    yaml = _yaml()
    if yaml is None:
        message = "writing YAML needs PyYAML; install socialcouncil[yaml]"
        raise ModelFileError("<yaml>", [Problem("", message)])

    class Dumper(yaml.SafeDumper):  # type: ignore[misc,name-defined]
        pass

    def represent_str(dumper: Any, value: str) -> Any:
        # YAML reads these characters as line breaks unless they are escaped, and only the
        # double-quoted style escapes them.
        style = '"' if any(c in value for c in _LINE_BREAKS) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    text: str = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True)
    return text


_LINE_BREAKS = "\r\x85\u2028\u2029"
