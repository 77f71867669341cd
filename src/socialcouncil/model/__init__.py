"""The council model: frozen attrs classes and pure operations on them.

Nothing here reads files, loads plugins or prints: the rest of socialcouncil depends on the model,
never the reverse.
"""

from socialcouncil.model.continuum import Continuum, Crosswalk, Level
from socialcouncil.model.council import (
    LICENCES,
    CheckSettings,
    Council,
    Direction,
    Licence,
    Measure,
    PublishingSettings,
    StoreSettings,
    Value,
    is_gss_code,
)
from socialcouncil.model.errors import InvalidValueError, SocialCouncilError, UnknownIdError
from socialcouncil.model.plan import Observation, OptionValue, PeriodKind, Source, is_period
from socialcouncil.model.project import Calibration, Confidence, Movement, Project, Status
from socialcouncil.model.thread import BigMove, DesignPrinciple, GoldenThread, Outcome, Priority
from socialcouncil.model.validators import is_valid_id

__all__ = [
    "LICENCES",
    "BigMove",
    "Calibration",
    "CheckSettings",
    "Confidence",
    "Continuum",
    "Council",
    "Crosswalk",
    "DesignPrinciple",
    "Direction",
    "GoldenThread",
    "InvalidValueError",
    "Level",
    "Licence",
    "Measure",
    "Movement",
    "Observation",
    "OptionValue",
    "Outcome",
    "PeriodKind",
    "Priority",
    "Project",
    "PublishingSettings",
    "SocialCouncilError",
    "Source",
    "Status",
    "StoreSettings",
    "UnknownIdError",
    "Value",
    "is_gss_code",
    "is_period",
    "is_valid_id",
]
