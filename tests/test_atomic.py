"""Writing files and folders atomically: whole and new, or whole and as they were."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil.files import write_atomically, write_folder_atomically

if TYPE_CHECKING:
    from pathlib import Path


class BuildError(Exception):
    """What a build that fails half way raises."""


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- files -------------------------------------------------------------------------------------


def test_text_is_written_as_utf8_with_its_line_endings_as_given(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    write_atomically(path, "\ufeffmeasure,value\r\nwellbeing,22\r\n")
    assert path.read_bytes() == "\ufeffmeasure,value\r\nwellbeing,22\r\n".encode()


@given(st.binary(max_size=200))
def test_bytes_are_written_as_they_are(data: bytes) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.bin"
        write_atomically(path, data)
        assert path.read_bytes() == data
        assert names(Path(folder)) == ["data.bin"]


def test_a_file_that_cannot_be_written_leaves_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(path, 42)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old"
    assert names(tmp_path) == ["report.html"]


# -- folders -----------------------------------------------------------------------------------


def fill(folder: Path) -> None:
    (folder / "datapackage.json").write_text("{}", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "results.csv").write_text("a\n", encoding="utf-8")


def test_a_folder_is_built_beside_its_destination_and_moved_into_place(tmp_path: Path) -> None:
    seen: list[Path] = []

    def build(folder: Path) -> None:
        seen.append(folder)
        assert folder.parent == tmp_path
        assert folder.is_dir()
        assert list(folder.iterdir()) == []
        assert not (tmp_path / "package").exists()
        fill(folder)

    written = write_folder_atomically(tmp_path / "package", build)
    assert written == tmp_path / "package"
    assert names(written) == ["data", "datapackage.json"]
    assert (written / "data" / "results.csv").read_text(encoding="utf-8") == "a\n"
    assert names(tmp_path) == ["package"]
    assert not seen[0].exists()


def test_a_built_folder_gets_the_permissions_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        written = write_folder_atomically(tmp_path / "package", fill)
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == 0o755


def test_an_existing_destination_is_kept_unless_replacing(tmp_path: Path) -> None:
    destination = tmp_path / "package"
    destination.mkdir()
    (destination / "old.txt").write_text("old", encoding="utf-8")
    built: list[Path] = []
    with pytest.raises(FileExistsError, match="replace it"):
        write_folder_atomically(destination, built.append)
    assert built == []  # nothing is built when it could not be moved into place
    assert names(destination) == ["old.txt"]
    assert names(tmp_path) == ["package"]


def test_replacing_swaps_the_old_folder_for_the_new_only_once_it_is_whole(
    tmp_path: Path,
) -> None:
    destination = tmp_path / "package"
    destination.mkdir()
    (destination / "old.txt").write_text("old", encoding="utf-8")

    def build(folder: Path) -> None:
        assert (destination / "old.txt").read_text(encoding="utf-8") == "old"
        fill(folder)

    write_folder_atomically(destination, build, replace=True)
    assert names(destination) == ["data", "datapackage.json"]
    assert names(tmp_path) == ["package"]


@pytest.mark.parametrize("replace", [False, True])
def test_a_build_that_raises_leaves_nothing_behind_and_the_old_folder_intact(
    tmp_path: Path, replace: bool
) -> None:
    destination = tmp_path / "package"
    destination.mkdir()
    (destination / "old.txt").write_text("old", encoding="utf-8")

    def build(folder: Path) -> None:
        fill(folder)
        raise BuildError

    with pytest.raises(BuildError if replace else FileExistsError):
        write_folder_atomically(destination, build, replace=replace)
    assert names(tmp_path) == ["package"]
    assert names(destination) == ["old.txt"]


def test_a_build_that_raises_with_no_destination_leaves_nothing(tmp_path: Path) -> None:
    def build(folder: Path) -> None:
        fill(folder)
        raise BuildError

    with pytest.raises(BuildError):
        write_folder_atomically(tmp_path / "package", build)
    assert names(tmp_path) == []


def test_a_failed_move_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path as RealPath

    destination = tmp_path / "package"
    destination.mkdir()
    (destination / "old.txt").write_text("old", encoding="utf-8")
    rename = RealPath.rename
    calls: list[str] = []

    def failing(self: Path, target: str | os.PathLike[str]) -> Path:
        calls.append(self.name)
        # The new folder cannot take the destination's name; the old one can go back.
        if RealPath(target) == destination and not self.name.endswith(".old"):
            raise OSError("the disk went away")
        return rename(self, target)

    monkeypatch.setattr(RealPath, "rename", failing)
    with pytest.raises(OSError, match="disk went away"):
        write_folder_atomically(destination, fill, replace=True)
    monkeypatch.undo()
    assert names(tmp_path) == ["package"]
    assert names(destination) == ["old.txt"]
    assert len(calls) == 3  # old aside, new refused, old back


def test_a_file_in_the_way_is_not_replaced_by_a_folder(tmp_path: Path) -> None:
    destination = tmp_path / "package"
    destination.write_text("a file", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        write_folder_atomically(destination, fill, replace=True)
    assert destination.read_text(encoding="utf-8") == "a file"
    assert names(tmp_path) == ["package"]


def test_a_folder_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "package"
    link.symlink_to(real, target_is_directory=True)
    write_folder_atomically(link, fill, replace=True)
    assert link.is_symlink()
    assert names(link) == ["data", "datapackage.json"]
