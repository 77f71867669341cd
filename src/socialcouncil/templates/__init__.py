"""Templates: starter councils that plugins offer to ``socialcouncil init``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from socialcouncil.model import validators as v

if TYPE_CHECKING:
    from socialcouncil.model import Council

__all__ = ["Template"]


@attrs.frozen
class Template:
    """A starter council: the text of a model file a council begins from.

    The text is written as it is, comments and all, so a template can explain itself to the
    officer who fills it in.

    Attributes:
        id: unique among templates; ``socialcouncil init --template ID``.
        title: its name.
        description: what it starts a council with, in a sentence or two.
        text: the model file it produces, in TOML.
    """

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.text)
    description: str = attrs.field(validator=v.text)
    text: str = attrs.field(validator=v.text, repr=False)

    def council(self) -> Council:
        """The council the template's text describes.

        Raises:
            ModelFileError: when the text is not a usable model file.
        """
        from socialcouncil.files import loads

        return loads(self.text, "toml", source=f"template {self.id!r}")
