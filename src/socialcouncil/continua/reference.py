"""The published participation scales that socialcouncil ships with.

Each constant is a :class:`~socialcouncil.Continuum` a council can place its projects on without
defining the scale itself. The level descriptions paraphrase the published scales in plain words;
read the cited source for the authors' own definitions.

These built-ins are registered through the same :func:`register_continua` hook a council's own
plugin implements, so they are looked up, listed and checked exactly like any other continuum.
"""

from __future__ import annotations

from socialcouncil.hookspecs import hookimpl
from socialcouncil.model import Continuum, Level

__all__ = [
    "ARNSTEIN_LADDER",
    "COPRODUCTION_LADDER",
    "HART_LADDER",
    "IAP2_SPECTRUM",
    "WILCOX_LEVELS",
    "register_continua",
]

_NON_PARTICIPATION = "Non-participation"
_TOKENISM = "Tokenism"
_CITIZEN_POWER = "Citizen power"

ARNSTEIN_LADDER = Continuum(
    id="arnstein-ladder",
    name="Arnstein's ladder of citizen participation",
    description=(
        "Eight rungs of citizen participation in planning and public programmes, from "
        "non-participation through tokenism to citizen power. It asks how much power over "
        "decisions residents really hold."
    ),
    source=(
        'Arnstein, S. R. (1969), "A Ladder of Citizen Participation", '
        "Journal of the American Institute of Planners 35(4): 216-224."
    ),
    levels=(  # mypy misreads converter=tuple (python/mypy#5313)
        Level(
            id="manipulation",
            label="Manipulation",
            description=(
                "Residents are put on boards or committees so the organisation can say they "
                "were involved, while the real aim is to win their backing for what is already "
                "decided."
            ),
            group=_NON_PARTICIPATION,
        ),
        Level(
            id="therapy",
            label="Therapy",
            description=(
                "Residents' views are treated as a problem to be fixed: the activity sets out to "
                "change their attitudes or behaviour rather than deal with what they raise."
            ),
            group=_NON_PARTICIPATION,
        ),
        Level(
            id="informing",
            label="Informing",
            description=(
                "Residents are told about plans, rights and options, usually one way and often "
                "too late to make a difference, with little chance to respond."
            ),
            group=_TOKENISM,
        ),
        Level(
            id="consultation",
            label="Consultation",
            description=(
                "Residents' views are asked for through surveys, meetings or hearings, but "
                "nothing assures them that what they say will change the outcome."
            ),
            group=_TOKENISM,
        ),
        Level(
            id="placation",
            label="Placation",
            description=(
                "A few residents are given seats on boards or advisory groups and can make "
                "suggestions, but those in power keep the right to decide."
            ),
            group=_TOKENISM,
        ),
        Level(
            id="partnership",
            label="Partnership",
            description=(
                "Power is shared through negotiation: residents and officials agree joint "
                "structures, such as a joint board, and share responsibility for planning and "
                "decisions."
            ),
            group=_CITIZEN_POWER,
        ),
        Level(
            id="delegated-power",
            label="Delegated power",
            description=(
                "Residents hold most of the seats or the formal authority over a particular plan "
                "or programme, so officials have to negotiate with them to get things done."
            ),
            group=_CITIZEN_POWER,
        ),
        Level(
            id="citizen-control",
            label="Citizen control",
            description=(
                "Residents run a programme or organisation themselves, in charge of its policy "
                "and management, and set the terms on which others take part."
            ),
            group=_CITIZEN_POWER,
        ),
    ),
)
"""Arnstein's eight-rung ladder of citizen participation, grouped into three bands."""

IAP2_SPECTRUM = Continuum(
    id="iap2-spectrum",
    name="IAP2 spectrum of public participation",
    description=(
        "Five levels of public participation in a decision, each defined by what the "
        "organisation promises the public about their influence on it."
    ),
    source=(
        "International Association for Public Participation (IAP2), "
        '"IAP2 Spectrum of Public Participation".'
    ),
    levels=(  # mypy misreads converter=tuple (python/mypy#5313)
        Level(
            id="inform",
            label="Inform",
            description=(
                "The council gives people clear, even-handed information so they understand the "
                "problem and the choices; they are not asked to shape the decision."
            ),
        ),
        Level(
            id="consult",
            label="Consult",
            description=(
                "The council asks for people's views on its analysis, options or decision, and "
                "tells them afterwards how those views affected what was decided."
            ),
        ),
        Level(
            id="involve",
            label="Involve",
            description=(
                "The council works with people throughout, so their concerns and hopes are "
                "understood and show up in the options that are drawn up."
            ),
        ),
        Level(
            id="collaborate",
            label="Collaborate",
            description=(
                "People are partners at every stage of the decision, from working up the options "
                "to choosing which one to take forward."
            ),
        ),
        Level(
            id="empower",
            label="Empower",
            description=(
                "The final decision rests with the public, and the council commits to carrying "
                "out whatever they decide."
            ),
        ),
    ),
)
"""The IAP2 five-level spectrum of public participation."""

_DOING_TO = "Doing to"
_DOING_FOR = "Doing for"
_DOING_WITH = "Doing with"

COPRODUCTION_LADDER = Continuum(
    id="coproduction-ladder",
    name="Ladder of co-production",
    description=(
        "A ladder from health and social care showing the steps from doing things to people, "
        "through doing things for them, to doing things with them as equal partners."
    ),
    source=(
        "Think Local Act Personal and the National Co-production Advisory Group, "
        '"Ladder of co-production".'
    ),
    levels=(  # mypy misreads converter=tuple (python/mypy#5313)
        Level(
            id="coercion",
            label="Coercion",
            description=(
                "People are brought along to hear about something already decided; their views "
                "are not sought and play no part in what happens."
            ),
            group=_DOING_TO,
        ),
        Level(
            id="educating",
            label="Educating",
            description=(
                "The aim is to help people understand and accept a service or decision as it has "
                "been designed, not to let them change it."
            ),
            group=_DOING_TO,
        ),
        Level(
            id="informing",
            label="Informing",
            description=(
                "People are told what is happening and why, but have no way of influencing it."
            ),
            group=_DOING_FOR,
        ),
        Level(
            id="consultation",
            label="Consultation",
            description=(
                "People are asked what they think, but may never hear what became of their views "
                "and have no assurance that they will make a difference."
            ),
            group=_DOING_FOR,
        ),
        Level(
            id="engagement",
            label="Engagement",
            description=(
                "People have more chances to put their views and may shape parts of the work, "
                "but the organisation still makes the final decisions."
            ),
            group=_DOING_FOR,
        ),
        Level(
            id="co-design",
            label="Co-design",
            description=(
                "People with lived experience help design a service or solution, drawing on what "
                "they know, though they may have no part in putting it into practice."
            ),
            group=_DOING_WITH,
        ),
        Level(
            id="co-production",
            label="Co-production",
            description=(
                "People and the organisation work as equal partners, sharing power and "
                "responsibility from the start, through design and delivery to review."
            ),
            group=_DOING_WITH,
        ),
    ),
)
"""The TLAP and NCAG ladder of co-production, grouped into doing to, for and with."""

_PARTICIPATION = "Participation"

HART_LADDER = Continuum(
    id="hart-ladder",
    name="Hart's ladder of children's participation",
    description=(
        "Arnstein's ladder adapted for children and young people. It separates real "
        "participation from ways in which adults use children's involvement for show."
    ),
    source=(
        'Hart, R. A. (1992), "Children\'s Participation: From Tokenism to Citizenship", '
        "Innocenti Essays No. 4, UNICEF International Child Development Centre."
    ),
    levels=(  # mypy misreads converter=tuple (python/mypy#5313)
        Level(
            id="manipulation",
            label="Manipulation",
            description=(
                "Adults use children to carry their own message or cause, for example at a "
                "rally, without the children understanding the issue or their part in it."
            ),
            group=_NON_PARTICIPATION,
        ),
        Level(
            id="decoration",
            label="Decoration",
            description=(
                "Children are there to brighten up an event, say by performing or wearing "
                "slogans, with no claim that they shaped the cause behind it."
            ),
            group=_NON_PARTICIPATION,
        ),
        Level(
            id="tokenism",
            label="Tokenism",
            description=(
                "Children appear to have a voice, for instance on a panel, but have little real "
                "say over the subject, how they put their views, or whether anyone acts on them."
            ),
            group=_NON_PARTICIPATION,
        ),
        Level(
            id="assigned-but-informed",
            label="Assigned but informed",
            description=(
                "Adults decide the project and give children a role in it, but the children "
                "understand its purpose, know why they are involved and choose to take part."
            ),
            group=_PARTICIPATION,
        ),
        Level(
            id="consulted-and-informed",
            label="Consulted and informed",
            description=(
                "Adults design and run the project, but ask children's views, take them "
                "seriously and tell the children how those views affected the result."
            ),
            group=_PARTICIPATION,
        ),
        Level(
            id="adult-initiated-shared-decisions",
            label="Adult-initiated, shared decisions with children",
            description=(
                "Adults start the project, but children share in the decisions about it from "
                "then on."
            ),
            group=_PARTICIPATION,
        ),
        Level(
            id="child-initiated-directed",
            label="Child-initiated and directed",
            description=(
                "Children come up with the idea and run it themselves; adults stay in the "
                "background and offer support only."
            ),
            group=_PARTICIPATION,
        ),
        Level(
            id="child-initiated-shared-decisions",
            label="Child-initiated, shared decisions with adults",
            description=(
                "Children start the project and choose to bring adults in as partners in its "
                "decisions, drawing on their experience while keeping the lead."
            ),
            group=_PARTICIPATION,
        ),
    ),
)
"""Hart's eight-rung ladder of children's participation, grouped into two bands."""

WILCOX_LEVELS = Continuum(
    id="wilcox-levels",
    name="Wilcox's levels of participation",
    description=(
        "Five levels of community participation, each suited to different circumstances. It "
        "helps choose the right level for a project rather than always aiming for the top."
    ),
    source=(
        'Wilcox, D. (1994), "The Guide to Effective Participation", Joseph Rowntree Foundation.'
    ),
    levels=(  # mypy misreads converter=tuple (python/mypy#5313)
        Level(
            id="information",
            label="Information",
            description=(
                "The council tells people what it plans to do; it sets the agenda and does not "
                "ask others to contribute."
            ),
        ),
        Level(
            id="consultation",
            label="Consultation",
            description=(
                "The council offers people some options and listens to what they say, but does "
                "not involve them in developing ideas or acting on them."
            ),
        ),
        Level(
            id="deciding-together",
            label="Deciding together",
            description=(
                "Others are encouraged to put forward ideas and options, and the council and "
                "community choose the way forward jointly."
            ),
        ),
        Level(
            id="acting-together",
            label="Acting together",
            description=(
                "As well as deciding together, the council and community form a partnership to "
                "carry out what they decided, sharing responsibility for delivery."
            ),
        ),
        Level(
            id="supporting-independent-community-initiatives",
            label="Supporting independent community initiatives",
            description=(
                "Local groups decide and do what they want for themselves, helped by grants, "
                "advice or other support from the council within an agreed framework."
            ),
        ),
    ),
)
"""Wilcox's five levels of participation."""


@hookimpl
def register_continua() -> list[Continuum]:
    """Return the reference continua built into socialcouncil."""
    return [ARNSTEIN_LADDER, IAP2_SPECTRUM, COPRODUCTION_LADDER, HART_LADDER, WILCOX_LEVELS]
