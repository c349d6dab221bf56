"""Files archgen reads: only a regular file, never past a limit (the blueprint in load.py,
its icons in images.py, a remembered render's inputs in remember.py); and the user's cache
folder, where archgen keeps what it works out once (the catalog's index, arrangements,
renders). Kept apart from load.py and catalog.py, which import PyYAML and the naming
table, so that a remembered render needs neither."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # a blueprint file


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes: whatever the file claims (a
    link to /dev/zero reads as size 0), nothing else is opened for reading or read past
    the limit. Raises NotRegular, TooLarge or OSError."""
    # O_NONBLOCK: opening a FIFO does not wait for a writer; it is refused just below.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(file_kind(mode))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge()
        return b"".join(chunks)
    finally:
        os.close(fd)


class NotRegular(Exception):
    """Not a regular file; the message says what it is ('a folder', 'a named pipe', ...)."""


class TooLarge(Exception):
    pass


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in plain words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def cache_dir() -> Path:
    """archgen's folder in the user's cache: `$XDG_CACHE_HOME/archgen`, else
    `~/.cache/archgen`."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archgen"


def write_cache(path: Path, data: bytes) -> None:
    """Write one file of archgen's cache whole (the catalog, a remembered arrangement or
    render): a temporary file beside it, named by the process, renamed into place, so a
    render running beside this one reads the old file or the new, never half of one; the
    temporary file goes if the writing fails. Raises OSError as writing does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
