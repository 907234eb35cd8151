"""Atomic file writes: a crash or a closed app leaves the old file or the new one, never a torn one.

Used for everything Itinera writes that a user or a later start relies on: exports, the user's
corrections, the GeoNames index.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@functools.cache
def _file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give: 0o666 less the umask (0o644 under 022).

    ``mkstemp`` makes its file 0o600, which the rename would pass on. The umask can only be read by
    setting it, so it is read once per process (and put back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write into; on success it replaces ``path`` in one rename (flushed to disk
    first), on failure it is removed and ``path`` is untouched."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: bytes) -> Path:
    with atomic_writer(path) as fh:
        fh.write(data)
    return Path(path)
