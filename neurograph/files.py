"""What kind of file a path is, and reading a regular file within a size limit.

Reading a path blindly can hang (a FIFO with no writer), never end (``/dev/zero``) or exhaust
memory (a huge file). :func:`read_regular_file` looks before it reads: it reads only a regular
file, opens it non-blocking (so that a FIFO swapped in after the look cannot block the open),
checks the opened file again, and reads at most the limit. :mod:`neurograph.writing` uses
:func:`file_kind` to name what it refuses to replace.
"""

from __future__ import annotations

import os
import stat

from neurograph.errors import AnatomyFileError

__all__ = ["file_kind", "read_regular_file"]

_KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def file_kind(mode: int) -> str:
    """Name the kind of file a ``st_mode`` describes.

    Examples
    --------
    >>> import os
    >>> file_kind(os.stat("/").st_mode)
    'a directory'
    """
    return next((name for is_kind, name in _KINDS if is_kind(mode)), "not a regular file")


def read_regular_file(path: str | os.PathLike, max_bytes: int, what: str = "file") -> bytes:
    """Return the bytes of ``path``, which must be a regular file of at most ``max_bytes`` bytes.

    Parameters
    ----------
    path : str or os.PathLike
    max_bytes : int
    what : str
        What the file holds, for the messages ("findings").

    Raises
    ------
    AnatomyFileError
        Naming the path: missing or unreadable, not a regular file (naming its kind), or larger
        than ``max_bytes``.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     pipe = os.path.join(folder, "exam.json")
    ...     os.mkfifo(pipe)
    ...     read_regular_file(pipe, 1024, "findings")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.AnatomyFileError: .../exam.json: cannot read findings: it is a FIFO (named pipe), not a regular file
    """
    try:
        status = os.stat(path)
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read {what} ({error.strerror or error})") from None
    _check(path, status, max_bytes, what)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read {what} ({error.strerror or error})") from None
    try:
        _check(path, os.fstat(descriptor), max_bytes, what)  # the file opened is the one looked at
        chunks, remaining = [], max_bytes + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read {what} ({error.strerror or error})") from None
    finally:
        os.close(descriptor)
    payload = b"".join(chunks)
    if len(payload) > max_bytes:
        raise AnatomyFileError(path, f"cannot read {what}: the file grew past the {max_bytes} byte limit while being read")
    return payload


def _check(path, status, max_bytes, what):
    if not stat.S_ISREG(status.st_mode):
        raise AnatomyFileError(path, f"cannot read {what}: it is {file_kind(status.st_mode)}, not a regular file")
    if status.st_size > max_bytes:
        raise AnatomyFileError(path, f"cannot read {what}: the file is {status.st_size} bytes, larger than the {max_bytes} byte limit")
