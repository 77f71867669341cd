"""Write the committed JSON Schema of the model file, in the package and beside the docs.

Run after changing the model or the descriptions in reference/file-format.md (``make schema``);
tests/test_schema_drift.py fails until then. The schema is the plain one: socialcouncil's own
continua, models, data sources and rules, with no installed plugin's.
"""

from __future__ import annotations

from pathlib import Path

from socialcouncil._schema import COMMITTED, schema_text
from socialcouncil._schema.reference import PAGE, plain_schema

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
TARGETS = (ROOT / "src" / "socialcouncil" / "_schema" / COMMITTED, DOCS / "_extra" / COMMITTED)


def main() -> None:
    text = schema_text(plain_schema((DOCS / f"{PAGE}.md").read_text(encoding="utf-8")))
    for target in TARGETS:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
