"""The ``[publishing]`` table: thresholds, rounding and the licence of published data."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import socialcouncil
from socialcouncil import LICENCES, Council, InvalidValueError, Licence, PublishingSettings
from socialcouncil.testing import strategies

FILE_FORMAT = Path(__file__).resolve().parent.parent / "docs" / "reference" / "file-format.md"


def load(publishing: str) -> Council:
    return socialcouncil.loads(f'[council]\nname = "Anytown"\n\n[publishing]\n{publishing}\n')


def test_the_defaults_are_ten_no_rounding_and_the_open_government_licence() -> None:
    settings = load("").publishing
    assert (settings.suppress_below, settings.round_to) == (10, None)
    assert settings.terms() == Licence(
        "OGL-UK-3.0",
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    )


@pytest.mark.parametrize("licence", sorted(LICENCES))
def test_a_known_licence_is_named_by_its_id_alone(licence: str) -> None:
    terms = load(f'licence = "{licence}"').publishing.terms()
    assert terms == LICENCES[licence]
    assert terms.url.startswith("https://")


def test_an_unknown_licence_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        load('licence = "MIT"')
    message = str(caught.value)
    assert "publishing" in message
    assert "'MIT'" in message
    assert all(licence in message for licence in LICENCES)
    assert "licence_title and licence_url" in message


def test_a_licence_of_the_councils_own_needs_its_title_and_address() -> None:
    own = (
        'licence = "LicenseRef-anytown"\nlicence_title = "Anytown Open Data Licence"\n'
        'licence_url = "https://data.anytown.gov.uk/licence"'
    )
    terms = load(own).publishing.terms()
    assert terms == Licence(
        "LicenseRef-anytown", "Anytown Open Data Licence", "https://data.anytown.gov.uk/licence"
    )
    with pytest.raises(InvalidValueError, match="licence_title and licence_url"):
        PublishingSettings(licence="LicenseRef-anytown", licence_title="Anytown Open Data")


def test_a_known_licence_may_be_named_in_the_councils_words() -> None:
    settings = PublishingSettings(licence="CC-BY-4.0", licence_title="CC BY 4.0")
    assert settings.terms().title == "CC BY 4.0"
    assert settings.terms().url == LICENCES["CC-BY-4.0"].url


def test_a_licence_address_must_be_a_web_address() -> None:
    with pytest.raises(socialcouncil.ModelFileError, match=r"publishing\.licence_url"):
        load('licence_url = "file:///etc/passwd"')


def test_every_problem_in_the_table_is_reported_at_once() -> None:
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        load('suppress_below = 3\nround_to = 0\nlicence_url = "ftp://x"')
    assert [p.path for p in caught.value.problems] == [
        "publishing.suppress_below",
        "publishing.round_to",
        "publishing.licence_url",
    ]


@pytest.mark.parametrize("threshold", [4, 0, -1, True, 7.5, "10"])
def test_a_threshold_below_five_or_not_a_whole_number_is_refused(threshold: object) -> None:
    with pytest.raises(InvalidValueError, match="suppress_below"):
        PublishingSettings(suppress_below=threshold)  # type: ignore[arg-type]


def test_rounding_to_more_than_the_threshold_is_refused() -> None:
    assert PublishingSettings(suppress_below=8, round_to=5).round_to == 5
    assert PublishingSettings(suppress_below=10, round_to=10).round_to == 10
    with pytest.raises(InvalidValueError, match=r"round_to no more than suppress_below \(8\)"):
        PublishingSettings(suppress_below=8, round_to=10)
    with pytest.raises(socialcouncil.ModelFileError, match="round_to no more than"):
        load("round_to = 20")


@given(strategies.publishing_settings)
def test_publishing_settings_come_back_from_every_format(settings: PublishingSettings) -> None:
    council = Council(name="Anytown", publishing=settings)
    for fmt in ("toml", "json", "yaml"):
        assert socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt) == council
    assert attrs.evolve(settings) == settings
    assert settings.terms().url


def test_the_file_format_reference_lists_every_known_licence() -> None:
    page = FILE_FORMAT.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w.-]+)` \| ([^|]+?)(?: \(the default\))? \|$", page, re.M)
    listed = {licence: title for licence, title in rows if licence != "licence"}
    assert listed == {licence.id: licence.title for licence in LICENCES.values()}
