"""Values, measures, check settings and the Council that holds them all."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import attrs

from socialcouncil.model import validators as v
from socialcouncil.model.continuum import Continuum, Crosswalk
from socialcouncil.model.errors import InvalidValueError, UnknownIdError
from socialcouncil.model.plan import (
    PERIOD_KINDS,
    Observation,
    OptionValue,
    PeriodKind,
    Source,
)
from socialcouncil.model.plan import as_options as _as_options
from socialcouncil.model.plan import options as _options
from socialcouncil.model.project import Movement, Project
from socialcouncil.model.thread import GoldenThread

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

__all__ = [
    "LICENCES",
    "CheckSettings",
    "Council",
    "Direction",
    "Licence",
    "Measure",
    "PublishingSettings",
    "StoreSettings",
    "Value",
    "is_gss_code",
]

Direction = Literal["higher", "lower"]
"""Which way a measure moves when things get better."""

DIRECTIONS: tuple[str, ...] = get_args(Direction)

GSS_CODE = re.compile(r"[EWSNK]\d{8}")


def is_gss_code(text: str) -> bool:
    """Whether *text* has the form of an ONS GSS code: one of E, W, S, N, K and eight digits.

    >>> is_gss_code("E08000029"), is_gss_code("E0800029")
    (True, False)
    """
    return GSS_CODE.fullmatch(text) is not None


@attrs.frozen
class Value:
    """A quality the organisation holds, such as "a stronger voice for citizens".

    Attributes:
        id: unique among the values.
        name: the value in a few words.
        statement: what it means, in a sentence.
        teachable_point_of_view: how the steering group explains it to the rest of the
            organisation.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    statement: str | None = attrs.field(default=None, validator=v.optional_text)
    teachable_point_of_view: str | None = attrs.field(default=None, validator=v.optional_text)


def _as_source(value: object) -> object:
    return dict(value) if isinstance(value, Mapping) else value


def _source(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None or (isinstance(value, str) and v.is_valid_id(value)):
        return
    wanted = "a source id, or a table of input name to source id"
    if not isinstance(value, Mapping):
        raise InvalidValueError(attribute.name, value, wanted)
    for key, item in value.items():
        if not v.is_valid_id(key):
            raise InvalidValueError(attribute.name, key, f"an input name: {v.ID_EXPECTED}")
        if not v.is_valid_id(item):
            wanted = f"a source id: {v.ID_EXPECTED}"
            raise InvalidValueError(f"{attribute.name}.{key}", item, wanted)


def _as_columns(value: object) -> object:
    if not isinstance(value, Mapping):
        return value
    return {k: dict(x) if isinstance(x, Mapping) else x for k, x in value.items()}


def _name(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


COLUMNS_EXPECTED = (
    "a table of field name to column name, or, for a model with several inputs, of input name "
    "to such a table"
)


def _columns(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidValueError(attribute.name, value, COLUMNS_EXPECTED)
    nested = [isinstance(x, Mapping) for x in value.values()]
    if any(nested) and not all(nested):
        mixed = "either field = column pairs or input = { field = column } tables, not both"
        raise InvalidValueError(attribute.name, dict(value), mixed)
    for key, item in value.items():
        if not _name(key):
            raise InvalidValueError(attribute.name, key, "a field or input name")
        pairs = item.items() if isinstance(item, Mapping) else [(None, item)]
        for field, column in pairs:
            path = f"{attribute.name}.{key}" if field is None else f"{attribute.name}.{key}.{field}"
            if field is not None and not _name(field):
                raise InvalidValueError(f"{attribute.name}.{key}", field, "a field name")
            if not _name(column):
                raise InvalidValueError(path, column, "a column name")


def _by(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: set[object] = set()
    for index, item in enumerate(value):
        if not _name(item):
            raise InvalidValueError(f"{attribute.name}[{index}]", item, "a column or field name")
        if item in seen:
            raise InvalidValueError(f"{attribute.name}[{index}]", item, "a name not listed before")
        seen.add(item)


def _observations(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]
) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, Observation):
            raise InvalidValueError(f"{attribute.name}[{index}]", item, "an Observation")


@attrs.frozen
class Measure:
    """An indicator the council tracks.

    Attributes:
        id: unique among the measures.
        name: what it measures.
        unit: what its numbers count, such as ``"people"`` or ``"percent"``.
        direction: ``"higher"`` when a rise is good, ``"lower"`` when a fall is.
        baseline: where it started.
        target: where the council wants it to be.
        values: ids of the values it gives evidence for.
        outcomes: ids of the priority outcomes it gives evidence for.
        description: how it is defined and collected.
        model: the name of the registered measurement model that computes it, such as
            ``"swemwbs"``; None for a measure tracked by hand, whose :attr:`observations`
            are its figures.
        source: the id of the ``[[sources]]`` entry the model reads; for a model with
            several inputs, a table of input name to source id, such as
            ``{"ties": "connections", "people": "residents"}``.
        columns: which source column holds each of the model's fields, field name to column
            name, such as ``{"item1": "Q1"}``; for a model with several inputs, input name to
            such a table. A field not named here is read from the column of its own name.
        by: what the results are broken down by, besides the whole population: each a
            source column, or a name :attr:`columns` gives to one.
        period: whether results are also broken down by ``"month"``, ``"quarter"``,
            ``"year"`` or ``"financial-year"`` (April to March), from the model's ``date``
            field.
        headline: the indicator that stands for the measure, instead of the model's own
            headline indicator.
        options: the model's options, each a string, a number, true or false, or a list of
            them (a tuple here).
        observations: the figures of a measure tracked by hand, as they were recorded
            elsewhere; they are its results, as those of the model ``observed``.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    unit: str = attrs.field(validator=v.text)
    direction: Direction = attrs.field(default="higher", validator=v.one_of(DIRECTIONS))
    baseline: float | None = attrs.field(default=None, validator=v.optional_finite)
    target: float | None = attrs.field(default=None, validator=v.optional_finite)
    values: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    outcomes: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    description: str | None = attrs.field(default=None, validator=v.optional_text)
    model: str | None = attrs.field(default=None, validator=v.optional_id)
    source: str | Mapping[str, str] | None = attrs.field(
        default=None, converter=_as_source, validator=_source, hash=False
    )
    columns: Mapping[str, str | Mapping[str, str]] = attrs.field(
        factory=dict, converter=_as_columns, validator=_columns, hash=False
    )
    by: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=_by)
    period: PeriodKind | None = attrs.field(default=None, validator=v.one_of((*PERIOD_KINDS, None)))
    headline: str | None = attrs.field(default=None, validator=v.optional_id)
    options: Mapping[str, OptionValue] = attrs.field(
        factory=dict, converter=_as_options, validator=_options, hash=False
    )
    observations: tuple[Observation, ...] = attrs.field(
        default=(), converter=v.as_tuple, validator=_observations
    )

    @property
    def inputs(self) -> dict[str, str]:
        """The source id for each input the measure names: ``{"data": id}`` for one source.

        >>> Measure(id="m", name="M", unit="people", source="survey").inputs
        {'data': 'survey'}
        """
        if self.source is None:
            return {}
        if isinstance(self.source, str):
            return {"data": self.source}
        return dict(self.source)


@attrs.frozen
class CheckSettings:
    """How the integrity checks treat this council.

    Attributes:
        ignore: rule ids switched off for this council.
    """

    ignore: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)


SUPPRESS_BELOW_FLOOR = 5
"""The smallest ``suppress_below`` a council may set; below it, figures could name people."""

DEFAULT_LICENCE = "OGL-UK-3.0"
"""The licence published data carries unless the council names another: the Open Government
Licence v3.0."""


@attrs.frozen
class Licence:
    """A licence that published data carries, as a data package names it.

    Attributes:
        id: its SPDX-style identifier, such as ``"OGL-UK-3.0"``.
        title: its name for people, such as ``"Open Government Licence v3.0"``.
        url: where its terms are published.
    """

    id: str = attrs.field(validator=v.text)
    title: str = attrs.field(validator=v.text)
    url: str = attrs.field(validator=v.text)


LICENCES: Mapping[str, Licence] = {
    licence.id: licence
    for licence in (
        Licence(
            "OGL-UK-3.0",
            "Open Government Licence v3.0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
        Licence(
            "OGL-UK-2.0",
            "Open Government Licence v2.0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/",
        ),
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License v1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Licence(
            "ODC-By-1.0",
            "Open Data Commons Attribution License v1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
        Licence(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication and License v1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/",
        ),
    )
}
"""The licences a council may name by id alone, by id: the Open Government Licences, Creative
Commons' and Open Data Commons' data licences. Any other needs ``licence_title`` and
``licence_url`` as well."""


def _threshold(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < SUPPRESS_BELOW_FLOOR:
        wanted = f"a whole number of people, {SUPPRESS_BELOW_FLOOR} or more"
        raise InvalidValueError(attribute.name, value, wanted)


def _rounding(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(attribute.name, value, "a whole number of 1 or more, such as 5")
    threshold = getattr(instance, "suppress_below", None)
    if isinstance(threshold, int) and value > threshold:
        # Rounding to more than the threshold would round published groups down to nothing.
        wanted = f"a round_to no more than suppress_below ({threshold}), such as 5"
        raise InvalidValueError(attribute.name, value, wanted)


def _url(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not re.fullmatch(r"https?://\S+", value):
        raise InvalidValueError(attribute.name, value, "a web address starting https://")


def _licence(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.text(instance, attribute, value)
    if value in LICENCES or instance is None:
        return
    title = getattr(instance, "licence_title", None)
    url = getattr(instance, "licence_url", None)
    if title is None or url is None:
        known = ", ".join(sorted(LICENCES, key=str.lower))
        wanted = f"a licence of {known}, or any id with licence_title and licence_url"
        raise InvalidValueError(attribute.name, value, wanted)


@attrs.frozen
class PublishingSettings:
    """How published output (the report, CSV, data packages) protects residents.

    In a model file, the ``[publishing]`` table. NHS England's rule for sub-national figures is
    ``suppress_below = 8`` and ``round_to = 5``. :mod:`socialcouncil.exporters.disclosure`
    applies these settings.

    >>> PublishingSettings(licence="CC-BY-4.0").terms().title
    'Creative Commons Attribution 4.0 International'

    Attributes:
        suppress_below: a figure standing on fewer people than this is published as ``[c]``;
            at least 5.
        round_to: counts of people are rounded to the nearest multiple of this, and percents
            worked out from the rounded counts; ``None`` for no rounding. No more than
            ``suppress_below``, which would round whole groups down to nothing.
        licence: the licence of published data, as an SPDX-style id: ``"OGL-UK-3.0"`` (the
            default) or another of :data:`LICENCES`; any other id needs ``licence_title`` and
            ``licence_url`` too.
        licence_title: the licence's name for people, where :data:`LICENCES` does not have it
            (or to name it otherwise).
        licence_url: where the licence's terms are published, likewise.
    """

    suppress_below: int = attrs.field(default=10, validator=_threshold)
    round_to: int | None = attrs.field(default=None, validator=_rounding)
    licence: str = attrs.field(default=DEFAULT_LICENCE, validator=_licence)
    licence_title: str | None = attrs.field(default=None, validator=v.optional_text)
    licence_url: str | None = attrs.field(default=None, validator=_url)

    def terms(self) -> Licence:
        """The licence of published data, with its title and web address."""
        known = LICENCES.get(self.licence)
        title = self.licence_title or (known.title if known else None)
        url = self.licence_url or (known.url if known else None)
        # The validator made sure an id that is not known comes with both.
        return Licence(self.licence, title or self.licence, url or "")


def _password_hidden(url: str) -> str | None:
    """*url* with the password it holds shown as ``***``; None where it holds none.

    A password can stand after the user name (``postgresql://officer:secret@host/db``) or, as
    libpq also reads one, in the query (``postgresql://host/db?password=secret``).
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit

    if "://" not in url:
        return None  # a path: no password in it
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # a malformed address (a bad port, say): the store says what is wrong
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_query = any(key.lower() == "password" for key, _ in query)
    if password is None and not in_query:
        return None
    netloc = parts.netloc
    if password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    hidden = [(key, "***" if key.lower() == "password" else value) for key, value in query]
    return parts._replace(netloc=netloc, query=urlencode(hidden, safe="*")).geturl()


def _store_url(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "a path or a URL, such as solihull.sqlite")
    hidden = _password_hidden(value)
    if hidden is not None:
        # The message shows the address with its password hidden: it must not be repeated.
        wanted = (
            "a URL without a password: put the password in PGPASSWORD or ~/.pgpass "
            "(PostgreSQL's own places for it), never in the model file"
        )
        raise InvalidValueError(attribute.name, hidden, wanted)


@attrs.frozen
class StoreSettings:
    """Where the council's history store is: its runs and its learning log.

    In a model file, the ``[store]`` table. Without it, the store is a SQLite file beside the
    model file, named after it (``solihull.toml`` keeps its history in
    ``solihull.history.sqlite``); :func:`socialcouncil.store.default_location` decides.

    >>> StoreSettings(url="postgresql://officer@db.solihull.gov.uk/history").url
    'postgresql://officer@db.solihull.gov.uk/history'

    Attributes:
        url: a path (relative to the model file's folder) to a SQLite file, or a URL such as
            ``"postgresql://officer@db.example.gov.uk/history"`` for a shared store; None for
            the file beside the model file. A URL holding a password is refused: PostgreSQL
            reads the password from ``PGPASSWORD`` or ``~/.pgpass``, so it never sits in a
            model file that is shared, published or kept in version control.
    """

    url: str | None = attrs.field(default=None, validator=_store_url)


_T = TypeVar("_T", Value, Project, Continuum, Measure)


def _by_id(kind: str, items: Iterable[_T], wanted: str) -> _T:
    for item in items:
        if item.id == wanted:
            return item
    raise UnknownIdError(kind, wanted, tuple(item.id for item in items))


@attrs.frozen
class Council:
    """One authority's whole model: the aggregate root.

    >>> council = Council(name="Solihull Metropolitan Borough Council", gss_code="E08000029",
    ...                   values=[Value(id="citizen-voice", name="A stronger voice for citizens")])
    >>> council.value("citizen-voice").name
    'A stronger voice for citizens'

    Attributes:
        name: the authority's name.
        gss_code: its ONS GSS code, where it has one, such as ``"E08000029"``.
        steering_group: the group that holds the values, such as Solihull's Social Canteen.
        values: the values the organisation holds.
        thread: the golden thread.
        continua: the council's own continua; built-in and plugin continua are referred to by
            id and need not be listed.
        crosswalks: mappings between continua.
        sources: the tables its measures read, each read by a registered data source; in a
            model file, ``[[sources]]``.
        measures: the indicators it tracks.
        projects: its initiatives and service redesigns.
        checks: how the integrity checks treat it.
        publishing: how published output protects residents; in a model file, the
            ``[publishing]`` table.
        store: where its history store is; in a model file, the ``[store]`` table.
        requires: the plugins the model needs, as requirement strings naming their
            distributions, such as ``"socialcouncil-kirklees>=1.0"``; in a model file, the
            top-level key ``requires``.
    """

    name: str = attrs.field(validator=v.text)
    gss_code: str | None = attrs.field(default=None, validator=v.optional_text)
    steering_group: str | None = attrs.field(default=None, validator=v.optional_text)
    values: tuple[Value, ...] = attrs.field(default=(), converter=v.as_tuple)
    thread: GoldenThread = attrs.field(factory=GoldenThread)
    continua: tuple[Continuum, ...] = attrs.field(default=(), converter=v.as_tuple)
    crosswalks: tuple[Crosswalk, ...] = attrs.field(default=(), converter=v.as_tuple)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=v.as_tuple)
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=v.as_tuple)
    projects: tuple[Project, ...] = attrs.field(default=(), converter=v.as_tuple)
    checks: CheckSettings = attrs.field(factory=CheckSettings)
    publishing: PublishingSettings = attrs.field(factory=PublishingSettings)
    store: StoreSettings = attrs.field(factory=StoreSettings)
    requires: tuple[str, ...] = attrs.field(
        default=(), converter=v.as_tuple, validator=v.requirements
    )

    def value(self, id: str) -> Value:  # noqa: A002
        """The value with *id*; :class:`UnknownIdError` if there is none."""
        return _by_id("value", self.values, id)

    def project(self, id: str) -> Project:  # noqa: A002
        """The project with *id*; :class:`UnknownIdError` if there is none."""
        return _by_id("project", self.projects, id)

    def measure(self, id: str) -> Measure:  # noqa: A002
        """The measure with *id*; :class:`UnknownIdError` if there is none."""
        return _by_id("measure", self.measures, id)

    def continuum(self, id: str) -> Continuum:  # noqa: A002
        """The council's own continuum with *id*; :class:`UnknownIdError` if there is none.

        Built-in and plugin continua are not searched here: see
        :func:`socialcouncil.registered_continua`.
        """
        return _by_id("continuum", self.continua, id)

    def usable_continua(self, registered: Mapping[str, Continuum]) -> dict[str, Continuum]:
        """Every continuum this council's projects may name, by id.

        This is the one place that decides: the council's own continua come first, and take
        the place of a *registered* continuum of the same id; of two own continua with one id,
        the first listed is used (the second is a ``duplicate-id`` error).

        >>> from socialcouncil import Level
        >>> own = Continuum(id="ours", name="Ours", levels=[Level("a", "A"), Level("b", "B")])
        >>> other = Continuum(id="ours", name="Later", levels=[Level("c", "C"), Level("d", "D")])
        >>> council = Council(name="Anytown", continua=[own, other])
        >>> council.usable_continua({})["ours"].name
        'Ours'
        """
        usable = dict(registered)
        for continuum in reversed(self.continua):
            usable[continuum.id] = continuum
        return usable

    def usable_crosswalks(self, registered: Iterable[Crosswalk] = ()) -> tuple[Crosswalk, ...]:
        """Every crosswalk this council can translate with: its own, then the *registered* ones.

        A registered crosswalk between the same two continua (in the same direction) as one of
        the council's own is left out: the council's own says how it reads its scale.
        """
        own = {(c.from_, c.to) for c in self.crosswalks}
        extra: dict[tuple[str, str], Crosswalk] = {}
        for crosswalk in registered:
            extra.setdefault((crosswalk.from_, crosswalk.to), crosswalk)
        return self.crosswalks + tuple(c for key, c in extra.items() if key not in own)

    def continuum_for(
        self, project: Project | str, registered: Mapping[str, Continuum] | None = None
    ) -> Continuum | None:
        """The continuum *project* (a project or its id) is placed on; None if it names none.

        It is looked up among :meth:`usable_continua`: the council's own, then *registered*
        (the continua plugins register; :func:`socialcouncil.continuum_for` passes them).

        >>> from socialcouncil import Level
        >>> own = Continuum(id="ours", name="Ours", levels=[Level("a", "A"), Level("b", "B")])
        >>> council = Council(name="Anytown", continua=[own],
        ...                   projects=[Project(id="cafe", title="Café", continuum="ours")])
        >>> council.continuum_for("cafe").name
        'Ours'

        Raises:
            UnknownIdError: when there is no such project, or its continuum is none of those.
        """
        if isinstance(project, str):
            project = self.project(project)
        if project.continuum is None:
            return None
        usable = self.usable_continua(registered or {})
        found = usable.get(project.continuum)
        if found is None:
            raise UnknownIdError("continuum", project.continuum, tuple(usable))
        return found

    def movement(
        self,
        project: Project | str,
        registered: Mapping[str, Continuum] | None = None,
        since: datetime.date | None = None,
    ) -> Movement | None:
        """How far *project* (a project or its id) has moved on its own continuum.

        The continuum is found by :meth:`continuum_for`; then as :meth:`Project.movement`.
        None when the project has no calibrations or names no continuum.

        Raises:
            UnknownIdError: when there is no such project, its continuum is not known, or a
                calibration's level is not a level of it.
        """
        if isinstance(project, str):
            project = self.project(project)
        continuum = self.continuum_for(project, registered)
        if continuum is None:
            return None
        return project.movement(continuum, since)
