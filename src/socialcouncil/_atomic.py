"""Writing a file or a folder atomically: whole and new, or whole and as it was, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["write_atomically", "write_folder_atomically"]

# Room for the temporary file's prefix and suffix within the usual 255-byte limit on a name.
_NAME_KEPT = 100
_ATTEMPTS = 100


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    r"""Write *data* to *path* through a temporary file in the same folder, then rename.

    Text is written as UTF-8, exactly as given: line endings are not translated, so text with
    ``"\r\n"`` keeps them on every system. Bytes are written as they are.

    The data reach the disk (``fsync``) before the rename, so a crash or a full disk leaves the
    old file, or no file, never part of one. A file that is already there keeps its permissions
    and, as far as the user may set them, its owner and group; a new file gets the permissions the
    umask allows, as any other program's would. A symbolic link is written through: the file it
    names is replaced and the link stays.

    Raises:
        TypeError: when *data* is neither text nor bytes; nothing is written.
        OSError: when the file cannot be written; *path* is then as it was. Writing onto a folder
            or onto anything but a regular file (a FIFO, a device) is refused this way too.
    """
    target = Path(os.path.realpath(path))
    existing = _existing(target)
    folder = target.parent
    if isinstance(data, str):
        content = data.encode("utf-8")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        content = bytes(data)
    else:
        raise TypeError(f"write_atomically writes text or bytes; found {type(data).__name__}")
    fd, temporary = _create_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            if existing is not None:
                _keep_owner_and_mode(handle.fileno(), temporary, existing)
            os.fsync(handle.fileno())
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _existing(target: Path) -> os.stat_result | None:
    try:
        found = target.stat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(target))
    if not stat.S_ISREG(found.st_mode):
        # Renaming over a FIFO or a device would replace the node itself.
        raise OSError(errno.EINVAL, "not a regular file", str(target))
    return found


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create a new, empty file in *target*'s folder, readable as the umask allows."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        temporary = target.with_name(f".{target.name[:_NAME_KEPT]}.{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 less the umask, as open() in any program gives; mkstemp would give 0o600.
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target.parent))


def _keep_owner_and_mode(fd: int, temporary: Path, existing: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        # Only root may give a file away; anyone may set a group they are in. The mode is set
        # after, because a change of owner clears the set-user-id and set-group-id bits.
        for uid in (existing.st_uid, -1):
            try:
                os.fchown(fd, uid, existing.st_gid)
                break
            except PermissionError:
                continue
    mode = stat.S_IMODE(existing.st_mode)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows
        temporary.chmod(mode)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is on disk; Windows cannot open a folder.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_folder_atomically(
    destination: str | os.PathLike[str],
    build: Callable[[Path], None],
    *,
    replace: bool = False,
) -> Path:
    """Build a folder beside *destination*, then move it into place whole.

    *build* is called with a fresh, empty folder in the same folder as *destination* (so that
    the move is a rename on one file system) and fills it. Only once *build* has returned, and
    what it wrote is on disk, does the folder take *destination*'s name. If *build* raises,
    its folder is removed and *destination* is as it was.

    An existing *destination* is replaced only where *replace* is true; the old folder stays
    until the new one is whole, and is then removed. (No system call swaps two folders in one
    step everywhere, so for an instant between the two renames neither is at *destination*; a
    crash then leaves the old folder beside it, under a name starting with a dot and ending
    ``.old``.)

    Returns:
        The folder written: *destination*.

    Raises:
        FileExistsError: when *destination* exists and *replace* is false; nothing is built.
        NotADirectoryError: when *destination* is a file, not a folder.
        OSError: when the folder cannot be built or moved; *destination* is then as it was.
    """
    target = Path(os.path.realpath(destination))
    _check_destination(target, replace=replace)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name[:_NAME_KEPT]}.", dir=target.parent))
    try:
        # mkdtemp makes a private folder; a built folder gets what the umask allows, as mkdir.
        umask = os.umask(0)
        os.umask(umask)
        folder.chmod(0o777 & ~umask)
        build(folder)
        _sync_tree(folder)
        _move_into_place(folder, target, replace=replace)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _sync_folder(target.parent)
    return Path(destination)


def _check_destination(target: Path, *, replace: bool) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is a file, not a folder", str(target))
    if not replace:
        raise FileExistsError(errno.EEXIST, "already exists; replace it to write it", str(target))


def _sync_tree(folder: Path) -> None:
    """Put every file *build* wrote, and the folders holding them, on disk."""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_folder(Path(root))


def _move_into_place(folder: Path, target: Path, *, replace: bool) -> None:
    if not replace or not target.exists():
        try:
            # Renaming onto an empty folder would replace it; a folder made meanwhile with
            # something in it is refused by the system, and said so here.
            folder.rename(target)
        except OSError as exc:
            if exc.errno in {errno.ENOTEMPTY, errno.EEXIST}:
                message = "already exists; replace it to write it"
                raise FileExistsError(errno.EEXIST, message, str(target)) from exc
            raise
        return
    old = folder.with_name(f"{folder.name}.old")
    target.rename(old)
    try:
        folder.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
