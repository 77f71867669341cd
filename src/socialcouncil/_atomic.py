"""Writing a file atomically: it is whole and new, or whole and as it was, never half-written."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomically"]

# Room for the temporary file's prefix and suffix within the usual 255-byte limit on a name.
_NAME_KEPT = 100
_ATTEMPTS = 100


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* as UTF-8 through a temporary file in the same folder, then rename.

    The text reaches the disk (``fsync``) before the rename, so a crash or a full disk leaves the
    old file, or no file, never part of one. A file that is already there keeps its permissions
    and, as far as the user may set them, its owner and group; a new file gets the permissions the
    umask allows, as any other program's would. A symbolic link is written through: the file it
    names is replaced and the link stays.

    Raises:
        OSError: when the file cannot be written; *path* is then as it was. Writing onto a folder
            or onto anything but a regular file (a FIFO, a device) is refused this way too.
    """
    target = Path(os.path.realpath(path))
    existing = _existing(target)
    folder = target.parent
    fd, temporary = _create_beside(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
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
