"""The convenient forms of pure functions, filled in from what this process has installed.

The model and the check runner see only what they are given. These functions give them what
the installed plugins register (continua, crosswalks, checks) and the distributions installed,
so that a program can write ``socialcouncil.check(council)``. They are the top of the one-way
data path: they import the plugin machinery, and nothing below imports them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from socialcouncil.checks import Check, Finding
    from socialcouncil.model import Continuum, Council, Movement, Project

__all__ = ["check", "continuum_for", "installed_distributions", "movement"]


def installed_distributions() -> dict[str, str]:
    """Every distribution installed, by its normalised name, with its version.

    Where two copies of one distribution are installed, the one found first on ``sys.path``
    (the one ``import`` uses) is given.
    """
    from importlib.metadata import distributions

    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonicalize_name(name), dist.version)
    return found


def _plans(council: Council) -> bool:
    """Whether any measure names a model: only then are the measurement models collected."""
    return any(measure.model is not None for measure in council.measures)


def check(
    council: Council,
    *,
    continua: Mapping[str, Continuum] | None = None,
    checks: Iterable[Check] | None = None,
    today: datetime.date | None = None,
    strict: bool | None = None,
) -> list[Finding]:
    """Check *council* for broken references, a broken golden thread and impossible data.

    >>> from socialcouncil import Council, Project
    >>> council = Council(name="Demo", projects=[Project(id="cafe", title="Café",
    ...                                               values=["citizen-voice"])])
    >>> for finding in check(council):
    ...     print(finding.severity, finding.rule, finding.path)
    error unknown-value projects[0].values[0]
    warning project-without-priority projects[0].priorities

    This is :func:`~socialcouncil.run_checks` given what the installed plugins
    register (continua, crosswalks, checks, measurement models and data sources), and the
    distributions installed for the model file's ``requires``.

    Args:
        council: the council to check.
        continua: the registered continua, by id, that projects may name besides the
            council's own; by default every continuum the installed plugins register.
        checks: the checks to run; by default every check the plugins register, the
            built-in ones among them.
        today: the day after which a calibration is in the future; by default today.
        strict: whether a check that fails raises :class:`~socialcouncil.PluginError` rather
            than being reported as a finding; by default, whether the registry is strict.

    Returns:
        The findings in the order of their paths in a model file, leaving out rules the
        council switches off in ``[checks] ignore``. A plugin's check that fails is reported
        as a warning of its own rule that names the plugin.

    Raises:
        PluginError: in strict mode, when a check fails; the message names its plugin.
    """
    from socialcouncil.checks import run_checks
    from socialcouncil.plugins import registry

    found = registry()
    if continua is None:
        continua = found.continua
        providers = {id_: found.provider("continuum", id_) for id_ in continua}
    else:
        providers = {}
    return run_checks(
        council,
        found.checks.values() if checks is None else checks,
        today=today or datetime.date.today(),
        continua=continua,
        # Crosswalks that plugins publish through the register_crosswalks hook.
        crosswalks=found.crosswalks,
        providers=providers,
        installed=installed_distributions() if council.requires else {},
        models=found.measurement_models if _plans(council) else {},
        data_sources=found.data_sources if council.sources else (),
        strict=found.strict if strict is None else strict,
    )


def continuum_for(council: Council, project: Project | str) -> Continuum | None:
    """The continuum *project* (a project of *council*, or its id) is placed on.

    The council's own continua come first, then those the installed plugins register, as
    :meth:`Council.continuum_for <socialcouncil.Council.continuum_for>` decides. None when the
    project names no continuum.

    >>> from socialcouncil import Council, Project
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", continuum="iap2-spectrum")])
    >>> continuum_for(council, "cafe").name
    'IAP2 spectrum of public participation'

    Raises:
        UnknownIdError: when there is no such project, or no continuum with the id it names.
    """
    from socialcouncil.plugins import registry

    return council.continuum_for(project, registry().continua)


def movement(
    council: Council, project: Project | str, since: datetime.date | None = None
) -> Movement | None:
    """How far *project* (a project of *council*, or its id) has moved on its continuum.

    Its continuum is found by :func:`continuum_for`; the movement is measured as
    :meth:`Project.movement <socialcouncil.Project.movement>` measures it. None when the
    project has no calibrations or names no continuum.

    >>> import datetime
    >>> from socialcouncil import Calibration, Council, Project
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", continuum="iap2-spectrum", calibrations=[
    ...         Calibration(date=datetime.date(2024, 1, 10), level="consult"),
    ...         Calibration(date=datetime.date(2025, 1, 10), level="collaborate")])])
    >>> print(movement(council, "cafe"))
    up 2 levels on 'iap2-spectrum', from Consult (2024-01-10) to Collaborate (2025-01-10)

    Raises:
        UnknownIdError: when there is no such project, its continuum is not known, or a
            calibration's level is not one of that continuum's levels.
    """
    from socialcouncil.plugins import registry

    return council.movement(project, registry().continua, since)
