"""The model file's ``[store]`` table, and where a council's history store is found."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import Council, InvalidValueError, StoreSettings
from socialcouncil.store import default_location

HEAD = '[council]\nname = "Anytown"\n'


def load(store: str) -> Council:
    return socialcouncil.loads(f"{HEAD}\n[store]\n{store}\n")


def problems(text: str) -> list[str]:
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        socialcouncil.loads(text)
    return [p.render("council.toml") for p in caught.value.problems]


# -- the [store] table ------------------------------------------------------------------------


def test_without_a_store_table_the_council_names_no_store_and_writes_none() -> None:
    council = socialcouncil.loads(HEAD)
    assert council.store == StoreSettings()
    assert council.store.url is None
    assert "[store]" not in socialcouncil.dumps(council)


def test_the_store_table_takes_a_path_or_a_url() -> None:
    assert load('url = "history/anytown.sqlite"').store.url == "history/anytown.sqlite"
    shared = "postgresql://officer@db.anytown.gov.uk:5432/history?sslmode=require"
    assert load(f'url = "{shared}"').store.url == shared


_words = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
_urls = st.one_of(
    st.builds(lambda a, b: f"{a}/{b}.sqlite", _words, _words),
    st.builds(lambda a: f"sqlite:///{a}.sqlite", _words),
    st.builds(lambda u, h, d: f"postgresql://{u}@{h}/{d}", _words, _words, _words),
    st.builds(lambda h, d: f"postgresql+psycopg://{h}:5432/{d}?sslmode=require", _words, _words),
)


@given(st.one_of(st.none(), _urls))
def test_store_settings_come_back_from_every_format(url: str | None) -> None:
    council = Council(name="Anytown", store=StoreSettings(url=url))
    for fmt in socialcouncil.files.FORMATS:
        assert socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt) == council


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://officer:hunter2@db/history", "postgresql://officer:***@db/history"),
        ("postgres://:hunter2@db/history", "postgres://:***@db/history"),
        (
            "postgresql://officer@db/history?sslmode=require&password=hunter2",
            "postgresql://officer@db/history?sslmode=require&password=***",
        ),
        (
            "postgresql://officer@db/history?PASSWORD=hunter2",
            "postgresql://officer@db/history?PASSWORD=***",
        ),
    ],
)
def test_a_url_holding_a_password_is_refused_and_the_password_never_shown(
    url: str, shown: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        StoreSettings(url=url)
    message = str(caught.value)
    assert "hunter2" not in message
    assert "hunter2" not in repr(caught.value.found)
    assert repr(shown) in message
    assert "PGPASSWORD" in message
    assert "~/.pgpass" in message


@given(st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$*()-_", min_size=4))
def test_no_password_is_ever_repeated_in_the_message(password: str) -> None:
    def message(password: str) -> str:
        with pytest.raises(InvalidValueError) as caught:
            StoreSettings(url=f"postgresql://officer:{password}@db.anytown.gov.uk/history")
        return str(caught.value)

    # The message is the same whatever the password: nothing of it is shown.
    assert message(password) == message("x")


def test_a_password_in_the_model_file_is_reported_at_its_key() -> None:
    found = problems(f'{HEAD}\n[store]\nurl = "postgresql://officer:hunter2@db/history"\n')
    assert len(found) == 1
    assert found[0].startswith(
        "council.toml: store.url: found 'postgresql://officer:***@db/history'"
    )
    assert "hunter2" not in found[0]


@pytest.mark.parametrize("value", ["''", "'   '", "5", "['a.sqlite']"])
def test_a_store_url_that_is_not_a_path_or_a_url_is_refused(value: str) -> None:
    found = problems(f"{HEAD}\n[store]\nurl = {value}\n")
    assert len(found) == 1
    assert "store.url" in found[0]


def test_an_unknown_key_of_the_store_table_is_reported() -> None:
    found = problems(f'{HEAD}\n[store]\npath = "a.sqlite"\n')
    assert found == ["council.toml: store.path: unknown key; the only key allowed here is url"]


def test_store_settings_are_exported_from_the_model_and_the_package() -> None:
    from socialcouncil import model

    assert model.StoreSettings is StoreSettings
    assert "StoreSettings" in socialcouncil.__all__
    assert "StoreSettings" in model.__all__


# -- where the store is -----------------------------------------------------------------------


def at(url: str | None) -> Council:
    return Council(name="Anytown", store=StoreSettings(url=url))


def test_the_store_is_beside_the_model_file_and_named_after_it() -> None:
    found = default_location(Path("councils/solihull.toml"), at(None))
    assert Path(found) == Path("councils/solihull.history.sqlite")
    assert Path(default_location("solihull.yaml", at(None))) == Path("solihull.history.sqlite")


def test_a_relative_store_path_is_relative_to_the_model_files_folder() -> None:
    found = default_location("councils/solihull.toml", at("history/solihull.sqlite"))
    assert Path(found) == Path("councils/history/solihull.sqlite")


def test_a_relative_sqlite_url_is_relative_to_the_model_files_folder() -> None:
    found = default_location("councils/solihull.toml", at("sqlite:///history.sqlite"))
    assert found == "sqlite:///" + str(Path("councils/history.sqlite"))


def test_an_absolute_path_or_url_is_kept_as_it_is(tmp_path: Path) -> None:
    absolute = str(tmp_path / "history.sqlite")
    assert default_location("councils/solihull.toml", at(absolute)) == absolute
    assert default_location("c/s.toml", at(f"sqlite:///{absolute}")) == f"sqlite:///{absolute}"
    shared = "postgresql://officer@db.solihull.gov.uk/history"
    assert default_location("councils/solihull.toml", at(shared)) == shared


def test_the_commands_store_option_wins_over_the_model_file() -> None:
    shared = "postgresql://officer@db.solihull.gov.uk/history"
    assert default_location("solihull.toml", at(shared), "mine.sqlite") == "mine.sqlite"
    assert default_location("solihull.toml", at(None), shared) == shared


def test_a_home_folder_path_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    found = default_location("councils/solihull.toml", at("~/history.sqlite"))
    assert Path(found) == tmp_path / "history.sqlite"
