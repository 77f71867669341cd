"""Make the synthetic data the Solihull example measures, the same every time.

Every figure in these files is invented. The script uses only Python's standard library and a
fixed seed for each file, so that running it again writes the same bytes; a test checks that
the committed files are exactly what it writes.

    python docs/examples/data/make_data.py              # the five demo files, into this folder
    python docs/examples/data/make_data.py --rows 1000000 --out /tmp/big --files residents-survey

With ``--rows N`` it writes big files for the benchmarks instead: N survey responses, N
timebank exchanges, N connections among ``--people`` people (N / 10 unless given) and N
attendances, with generic group names and ``--wards`` wards.

The files (UTF-8, a header row, ``\\n`` line endings):

- ``residents-survey.csv``: one row per response to a residents' survey: the seven SWEMWBS
  items (``Q1`` to ``Q7``, 1 to 5) and the four ONS personal wellbeing questions (0 to 10),
  each left blank now and then, and a survey weight;
- ``people.csv``: residents in community groups, council officers and councillors;
- ``connections.csv``: who connected with whom, mostly within a group, some across groups and
  a few to officers and councillors;
- ``timebank.csv``: the timebank's ledger: who gave how many hours to whom, and when;
- ``canteen-attendance.csv``: who took part in which Social Canteen activity, and at which
  level of the Solihull relationship continuum.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import math
import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

HERE = Path(__file__).resolve().parent

# Solihull's seventeen wards as they were from 2004 until the new wards of May 2026; the
# survey's dates (April 2024 to March 2026) fall within those years.
WARDS = (
    "Bickenhill",
    "Blythe",
    "Castle Bromwich",
    "Chelmsley Wood",
    "Dorridge and Hockley Heath",
    "Elmdon",
    "Kingshurst and Fordbridge",
    "Knowle",
    "Lyndon",
    "Meriden",
    "Olton",
    "St Alphege",
    "Shirley East",
    "Shirley South",
    "Shirley West",
    "Silhill",
    "Smith's Wood",
)

# Invented community groups, each in a ward, as a council's community team might list them.
GROUPS = (
    "Chelmsley Wood Tenants' Forum",
    "Kingshurst Community Garden",
    "Smith's Wood Parents' Network",
    "Castle Bromwich Friends of the Park",
    "Olton Walking Group",
    "Shirley Repair Café",
    "Lyndon Food Pantry",
    "Elmdon Carers' Circle",
    "Knowle Village Volunteers",
    "Meriden Good Neighbours",
    "Silhill Youth Club",
    "Blythe Allotment Society",
)
OFFICERS_GROUP = "Council officers"
COUNCILLORS_GROUP = "Councillors"

# Social Canteen activities and the levels of the solihull-relationship continuum their
# sessions usually reach, with how often each level is recorded.
ACTIVITIES: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Open question session", (("communicative", 7), ("listening", 3))),
    ("Solihull Café", (("listening", 6), ("involving", 4))),
    ("Values workshop", (("listening", 5), ("involving", 5))),
    ("Digital champions training", (("involving", 7), ("collaborative", 3))),
    ("Service redesign team", (("involving", 3), ("collaborative", 7))),
    ("Timebank steering group", (("collaborative", 5), ("fully-co-productive", 5))),
)

START = datetime.date(2024, 4, 1)
END = datetime.date(2026, 3, 31)
DAYS = (END - START).days + 1  # two financial years
HOURS = (0.5, 1.0, 1.0, 1.0, 1.5, 2.0, 2.0, 3.0, 4.0)

# One seed per file, so that a file is the same whichever others are written with it.
SEEDS = {
    "residents-survey": 7001,
    "people": 7002,
    "connections": 7003,
    "timebank": 7004,
    "canteen-attendance": 7005,
}
FILES = tuple(SEEDS)

Row = list[str]


def rng(name: str) -> random.Random:
    """The random number generator for one file, from its fixed seed."""
    return random.Random(SEEDS[name])  # noqa: S311 (invented data, not secrets)


def day(r: random.Random) -> datetime.date:
    return START + datetime.timedelta(days=r.randrange(DAYS))


def ident(prefix: str, number: int, count: int) -> str:
    """An id such as ``P0042``, as wide as the largest number needs (at least four digits)."""
    return f"{prefix}{number:0{max(4, len(str(count)))}d}"


def clamp(value: float, low: int, high: int) -> int:
    return min(high, max(low, round(value)))


def ward_names(count: int) -> tuple[str, ...]:
    """Solihull's wards, then generic names for more than seventeen."""
    extra = (f"Ward {i}" for i in range(len(WARDS) + 1, count + 1))
    return (*WARDS[:count], *extra)


# ---------------------------------------------------------------------------------------------
# The residents' survey


def survey(rows: int, wards: Sequence[str]) -> Iterable[Row]:
    """Responses: wellbeing drawn from one latent score per person, blanks here and there."""
    r = rng("residents-survey")
    # Wards differ a little, at random: the differences say nothing about the real wards.
    shift = {ward: r.gauss(0, 0.25) for ward in wards}
    design = {ward: r.uniform(0.7, 1.4) for ward in wards}
    width = max(5, len(str(rows)))
    yield [
        "Respondent",
        "Ward",
        "Date",
        *(f"Q{i}" for i in range(1, 8)),
        "Life satisfaction",
        "Worthwhile",
        "Happiness",
        "Anxiety",
        "Weight",
    ]
    for number in range(1, rows + 1):
        ward = wards[r.randrange(len(wards))]
        latent = r.gauss(shift[ward], 1.0)
        skipped_block = r.random() < 0.01  # left the whole SWEMWBS page blank
        items = [
            ""
            if skipped_block or r.random() < 0.015
            else str(clamp(3.6 + 0.75 * latent + r.gauss(0, 0.7), 1, 5))
            for _ in range(7)
        ]
        ons = [
            (7.5, 1.3, 1.3, 0.03),  # life satisfaction
            (7.8, 1.1, 1.3, 0.03),  # worthwhile
            (7.4, 1.4, 1.7, 0.03),  # happiness
            (3.1, -1.3, 2.3, 0.05),  # anxiety: lower is better
        ]
        answers = [
            "" if r.random() < blank else str(clamp(mean + slope * latent + r.gauss(0, sd), 0, 10))
            for mean, slope, sd, blank in ons
        ]
        weight = design[ward] * math.exp(r.gauss(0, 0.25))
        yield [
            f"R{number:0{width}d}",
            ward,
            day(r).isoformat(),
            *items,
            *answers,
            f"{weight:.3f}",
        ]


# ---------------------------------------------------------------------------------------------
# People and their connections


class Population:
    """Who is in people.csv: residents in groups, officers and councillors."""

    def __init__(self, count: int | None) -> None:
        r = rng("people")
        if count is None:  # the demo: named groups, 340 residents, 14 officers, 6 councillors
            groups: Sequence[str] = GROUPS
            residents, officers, councillors = 340, 14, 6
        else:
            groups = [f"Community group {i}" for i in range(1, max(2, count // 50) + 1)]
            councillors = max(1, count // 100)
            officers = max(1, count * 3 // 100)
            residents = count - officers - councillors
        total = residents + officers + councillors
        self.ids = [ident("P", i, total) for i in range(1, total + 1)]
        # Group sizes vary: a few big groups and many small ones.
        sizes = list(_cumulative(r.paretovariate(1.5) for _ in groups))
        roles = ["resident"] * residents + ["officer"] * officers + ["councillor"] * councillors
        r.shuffle(roles)
        self.rows: list[Row] = []
        self.members: dict[str, list[int]] = {group: [] for group in groups}
        self.residents: list[int] = []
        self.institutional: list[int] = []
        for index, role in enumerate(roles):
            if role == "resident":
                group = r.choices(groups, cum_weights=sizes)[0]
                self.residents.append(index)
            else:
                group = OFFICERS_GROUP if role == "officer" else COUNCILLORS_GROUP
                self.institutional.append(index)
            self.members.setdefault(group, []).append(index)
            self.rows.append([self.ids[index], group, role])
        self.group_of = [row[1] for row in self.rows]
        # How active each person is: one in ten residents has no recorded tie at all.
        self.activity = [
            0.0 if role == "resident" and r.random() < 0.1 else r.paretovariate(2.0)
            for role in roles
        ]

    def table(self) -> Iterable[Row]:
        yield ["Person", "Group", "Role"]
        yield from self.rows


def connections(people: Population, ties: int) -> Iterable[Row]:
    """Ties: about seven in ten within a group, two across groups, one to an officer."""
    r = rng("connections")
    everyone = range(len(people.ids))
    weights = list(_cumulative(people.activity))
    residents = list(_cumulative(people.activity[m] for m in people.residents))
    weights_in = {
        group: (members, list(_cumulative(people.activity[m] for m in members)))
        for group, members in people.members.items()
    }

    def pick(among: Sequence[int], cumulative: Sequence[float]) -> int:
        return r.choices(among, cum_weights=cumulative)[0]

    made: list[tuple[int, int, datetime.date]] = []
    while len(made) < ties:
        if made and r.random() < 0.03:  # the same relationship recorded again, either way round
            a, b, _ = made[r.randrange(len(made))]
            a, b = (b, a) if r.random() < 0.5 else (a, b)
        else:
            a = pick(everyone, weights)
            kind = r.random()
            members, cumulative = weights_in[people.group_of[a]]
            if kind < 0.72 and len(members) > 1:
                b = pick(members, cumulative)
            elif kind < 0.92 or not people.institutional:
                b = pick(people.residents, residents)
            else:
                b = people.institutional[r.randrange(len(people.institutional))]
            if a == b:
                continue
        made.append((a, b, day(r)))
    made.sort(key=lambda tie: tie[2])
    yield ["From", "To", "Date"]
    for a, b, when in made:
        yield [people.ids[a], people.ids[b], when.isoformat()]


def _cumulative(values: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# ---------------------------------------------------------------------------------------------
# The timebank ledger


def timebank(people: Population, exchanges: int) -> Iterable[Row]:
    """Exchanges among members; many are returned in kind, some members only give or receive."""
    r = rng("timebank")
    members = r.sample(people.residents, max(2, len(people.residents) * 2 // 5))
    give, receive = [], []
    for _ in members:
        kind = r.random()
        give.append(0.0 if kind < 0.2 else r.paretovariate(1.8))  # only receives
        receive.append(0.0 if 0.2 <= kind < 0.35 else r.paretovariate(1.8))  # only gives
    give_cumulative = list(_cumulative(give))
    receive_cumulative = list(_cumulative(receive))
    ledger: list[tuple[datetime.date, int, int, float]] = []
    while len(ledger) < exchanges:
        giver = r.choices(range(len(members)), cum_weights=give_cumulative)[0]
        receiver = r.choices(range(len(members)), cum_weights=receive_cumulative)[0]
        if giver == receiver:
            continue
        when = day(r)
        ledger.append((when, giver, receiver, r.choice(HOURS)))
        # A third of the help given is returned in kind, a few weeks later.
        returned = when + datetime.timedelta(days=r.randrange(7, 60))
        if len(ledger) < exchanges and give[receiver] and r.random() < 0.33 and returned <= END:
            ledger.append((returned, receiver, giver, r.choice(HOURS)))
    ledger.sort(key=lambda exchange: exchange[0])
    yield ["Giver", "Receiver", "Hours", "Date"]
    for when, giver, receiver, hours in ledger:
        yield [people.ids[members[giver]], people.ids[members[receiver]], f"{hours:.1f}", str(when)]


# ---------------------------------------------------------------------------------------------
# Social Canteen attendance


def attendance(people: Population, rows: int) -> Iterable[Row]:
    """Who came to what: most people once, some again and again, some to several activities."""
    r = rng("canteen-attendance")
    attendees = r.sample(people.residents, max(1, min(len(people.residents), rows // 3)))
    keen = {person: r.paretovariate(1.2) for person in attendees}
    cumulative = list(_cumulative(keen[p] for p in attendees))
    favourite = {person: r.randrange(len(ACTIVITIES)) for person in attendees}
    made: list[tuple[datetime.date, int, int, str]] = []
    for index, person in enumerate(attendees):  # everyone chosen came at least once
        if index >= rows:
            break
        made.append((day(r), person, favourite[person], _level(r, favourite[person])))
    while len(made) < rows:
        person = r.choices(attendees, cum_weights=cumulative)[0]
        activity = favourite[person] if r.random() < 0.6 else r.randrange(len(ACTIVITIES))
        made.append((day(r), person, activity, _level(r, activity)))
    made.sort(key=lambda row: (row[0], row[1]))
    yield ["Person", "Activity", "Date", "Level"]
    for when, person, activity, level in made:
        yield [people.ids[person], ACTIVITIES[activity][0], when.isoformat(), level]


def _level(r: random.Random, activity: int) -> str:
    if r.random() < 0.05:  # the organiser did not record it
        return ""
    levels = ACTIVITIES[activity][1]
    return r.choices([level for level, _ in levels], weights=[weight for _, weight in levels])[0]


# ---------------------------------------------------------------------------------------------


def write(path: Path, rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def make(
    out: Path,
    rows: int | None = None,
    people: int | None = None,
    wards: int = len(WARDS),
    files: Sequence[str] = FILES,
) -> list[Path]:
    """Write *files* into *out*: the demo sizes, or *rows* rows each; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    if rows is None:
        sizes = {"residents-survey": 1200, "connections": 1100, "timebank": 900}
        sizes["canteen-attendance"] = 700
    else:
        sizes = dict.fromkeys(FILES, rows)
    if people is None and rows is not None:
        people = max(10, rows // 10)
    population = Population(people) if set(files) - {"residents-survey"} else None
    makers: dict[str, Callable[[], Iterable[Row]]] = {
        "residents-survey": lambda: survey(sizes["residents-survey"], ward_names(wards)),
        "people": lambda: _need(population).table(),
        "connections": lambda: connections(_need(population), sizes["connections"]),
        "timebank": lambda: timebank(_need(population), sizes["timebank"]),
        "canteen-attendance": lambda: attendance(_need(population), sizes["canteen-attendance"]),
    }
    written = []
    for name in files:
        path = out / f"{name}.csv"
        write(path, makers[name]())
        written.append(path)
    return written


def _need(population: Population | None) -> Population:
    assert population is not None  # noqa: S101 (made above whenever a file needs it)
    return population


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    parser.add_argument("--rows", type=int, help="rows in each file (default: the demo sizes)")
    parser.add_argument("--people", type=int, help="people in people.csv (default: rows / 10)")
    parser.add_argument("--wards", type=int, default=len(WARDS), help="wards in the survey")
    parser.add_argument(
        "--files", nargs="+", choices=FILES, default=FILES, help="which files (default: all)"
    )
    args = parser.parse_args(argv)
    if args.rows is not None and args.rows < 1:
        parser.error("--rows must be at least 1")
    if args.people is not None and args.people < 10:
        parser.error("--people must be at least 10")
    if args.wards < 1:
        parser.error("--wards must be at least 1")
    for path in make(args.out, args.rows, args.people, args.wards, args.files):
        print(path)


if __name__ == "__main__":
    main()
