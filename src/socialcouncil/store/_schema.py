"""The store's tables, in SQLAlchemy Core, one set for every engine.

Types are chosen to map well on SQLite and PostgreSQL alike: text as ``Text``, figures as
double precision, counts and row numbers as ``BigInteger``, times with their time zone.
Dimensions are kept as JSON text (keys in the order the measurement gave them, less the
period, which has a column of its own for the trends), so that a run of a hundred thousand
results is one insert of a hundred thousand rows, and an indicator's history one indexed read.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

_TIME = sa.DateTime(timezone=True)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""What the store says of itself: ``schema_version`` above all."""

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("recorded_at", _TIME, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("council_name", sa.Text, nullable=False),
    sa.Column("council", sa.Text, nullable=False),
    sa.Column("model_file", sa.Text),
    sa.Column("headlines", sa.Text, nullable=False),
    sa.Column("breakdowns", sa.Text, nullable=False),
    sa.Column("unmeasured", sa.Text, nullable=False),
    sa.Column("result_count", sa.BigInteger, nullable=False),
    sa.Column("problem_count", sa.BigInteger, nullable=False),
    sa.Column("source_count", sa.BigInteger, nullable=False),
    sa.Index("runs_by_time", "recorded_at", "id"),
)
"""One row a run, with how many results, problems and sources it holds, for the check."""


def _run() -> sa.ForeignKey:
    return sa.ForeignKey("runs.id")


results = sa.Table(
    "results",
    metadata,
    sa.Column("run", sa.String(36), _run(), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("measure", sa.Text),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("indicator", sa.Text, nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("n", sa.BigInteger),
    sa.Column("people", sa.Boolean, nullable=False),
    sa.Column("kind", sa.Text),
    sa.Column("unit", sa.Text),
    sa.Column("period", sa.Text),
    sa.Column("dimensions", sa.Text, nullable=False),
    sa.Index("results_by_indicator", "measure", "indicator"),
)
"""Every result of every run, in the run's order."""

problems = sa.Table(
    "problems",
    metadata,
    sa.Column("run", sa.String(36), _run(), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("row", sa.BigInteger),
    sa.Column("field", sa.Text),
    sa.Column("expected", sa.Text),
    sa.Column("message", sa.Text),
)
"""Every problem of every run: where, and what was expected; never a bad cell's value."""

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("run", sa.String(36), _run(), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.Text),
)
"""Each source a run read, with its SHA-256 fingerprint."""

log_entries = sa.Table(
    "log_entries",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("corrects", sa.String(36), sa.ForeignKey("log_entries.id")),
    sa.Column("recorded_at", _TIME, nullable=False),
    sa.Column("erased_at", _TIME),
    sa.Index("log_by_date", "date", "recorded_at", "id"),
)
"""The learning log."""

log_links = sa.Table(
    "log_links",
    metadata,
    sa.Column("entry", sa.String(36), sa.ForeignKey("log_entries.id"), primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("target", sa.Text, nullable=False),
    sa.Index("log_links_by_target", "kind", "target"),
)
"""What each log entry is linked to: kind ``projects``, ``values``, ``measures`` or
``big_moves``, and the id, in the entry's order."""

erasures = sa.Table(
    "erasures",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("entry", sa.String(36), sa.ForeignKey("log_entries.id"), nullable=False),
    sa.Column("erased_at", _TIME, nullable=False),
    sa.Column("reason", sa.Text),
)
"""Each erasure of a log entry's text under the right to erasure."""

TABLES = (meta, runs, results, problems, sources, log_entries, log_links, erasures)
"""Every table, in the order they are made."""
