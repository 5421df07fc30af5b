"""The one way neurograph writes a file: whole or not at all, and only over a regular file.

Every file the library or the command line writes (GraphML, SVG, PNG, PDF, Graphviz DOT) goes
through :func:`write_file`, which

- checks that the file name's extension is one of the format's (``.png`` for PNG, ...) and that
  the bytes are of that format, so DOT text never lands in a ``.png``;
- refuses to replace anything that is not a regular file: a directory, a FIFO, a character or
  block device, a socket. Writing to ``/dev/full`` or into a named pipe is an error, never a
  replacement of the special file by a regular one;
- follows a symbolic link the way the shell's ``>`` does: the file the link points to is
  replaced and the link is kept; a link to a special file is refused like the special file;
- writes the bytes to a temporary file in the target's folder, flushes them to disk and renames
  the temporary file over the target, so that a reader sees the old file or the new one, never
  half of one (a hard-linked target gets a new inode: its other names keep the old content);
- keeps an existing file's permission bits (and, where permitted, its owner and group); a new
  file gets the usual ``0666`` less the umask;
- removes its temporary file on every failure it handles, and raises
  :class:`~neurograph.errors.OutputFileError` naming the path and the problem: a missing
  folder, a folder that is not one, no permission, a full disk.

Temporary files are named ``.<target name>.<random>.neurograph-tmp`` (:data:`TEMPORARY_SUFFIX`)
beside the target. Only a hard kill (``SIGKILL``, a power cut) between creating one and the
rename leaves one behind; ``find FOLDER -name '*.neurograph-tmp'`` finds them, and any of them
can be deleted.

The checks run before the temporary file is created and again just before the rename; a special
file put in the target's place between the two is still caught, one put there in the
microseconds after the second check is not (POSIX has no rename that refuses to replace a
special file).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from neurograph.errors import InvalidValueError, OutputFileError
from neurograph.files import file_kind

__all__ = ["write_file", "write_chunks", "check_output", "FILE_FORMATS", "TEMPORARY_SUFFIX"]

#: The suffix every temporary file of the writer ends with.
TEMPORARY_SUFFIX = ".neurograph-tmp"


def _starts_with(*signatures):
    return lambda payload: payload.lstrip()[:64].startswith(signatures)


def _xml_with(root):
    return lambda payload: payload.lstrip().startswith((b"<?xml", root)) and root in payload[:4096]


#: Each format neurograph writes: the extensions it may be written under, and a check of its bytes.
FILE_FORMATS = {
    "svg": ((".svg",), _xml_with(b"<svg")),
    "png": ((".png",), _starts_with(b"\x89PNG\r\n\x1a\n")),
    "pdf": ((".pdf",), _starts_with(b"%PDF-")),
    "dot": ((".dot", ".gv"), _starts_with(b"digraph", b"graph", b"strict")),
    "graphml": ((".graphml", ".xml"), _xml_with(b"<graphml")),
    "html": ((".html", ".htm"), _starts_with(b"<!DOCTYPE html", b"<!doctype html")),
    "csv": ((".csv",), lambda payload: b"\0" not in payload[:4096] and b"," in payload[:4096]),
    "parquet": ((".parquet",), _starts_with(b"PAR1")),
}


def write_file(path: str | os.PathLike, payload: bytes, file_format: str) -> Path:
    """Write ``payload`` to ``path`` atomically, as a file of ``file_format``.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace; its extension must be one of the format's.
    payload : bytes
        The whole content, which must be of ``file_format``.
    file_format : str
        A key of :data:`FILE_FORMATS`: ``"svg"``, ``"png"``, ``"pdf"``, ``"dot"``, ``"graphml"``, ``"html"``.

    Returns
    -------
    pathlib.Path
        The file written (the link's target when ``path`` is a symbolic link).

    Raises
    ------
    InvalidValueError
        For an extension that does not match the format, or bytes that are not of the format.
    OutputFileError
        When the target is not a regular file, its folder is missing or not a folder, or writing
        fails (no permission, disk full, ...). Nothing is replaced and no temporary file stays.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "lesion.dot"
    ...     _ = write_file(target, b"digraph lesion {}", "dot")
    ...     target.read_bytes(), sorted(p.name for p in pathlib.Path(folder).iterdir())
    (b'digraph lesion {}', ['lesion.dot'])
    >>> write_file("lesion.png", b"digraph lesion {}", "dot")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid output file extension '.png': expected .dot or .gv for DOT
    """
    if not isinstance(payload, bytes):
        raise InvalidValueError(f"content for {path}", type(payload).__name__, f"{file_format.upper()} bytes")
    return write_chunks(path, [payload], file_format)


def write_chunks(path: str | os.PathLike, chunks: Iterable[bytes], file_format: str) -> Path:
    """Write the bytes of ``chunks`` to ``path`` as :func:`write_file` writes a payload, one
    chunk at a time (so a long table is never held whole): the file appears whole or not at all.
    The format is checked on the first chunk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "rows.csv"
    ...     _ = write_chunks(target, (b"a,b\\n", b"1,2\\n"), "csv")
    ...     target.read_bytes()
    b'a,b\\n1,2\\n'
    """
    path = _check_extension(path, file_format)
    target = _resolved(path)
    existing = _existing_regular_file(path, target)
    folder = target.parent
    descriptor, temporary = _create_temporary(path, folder, target.name)
    try:
        try:
            first = True
            for payload in chunks:
                if first and (not isinstance(payload, bytes) or not FILE_FORMATS[file_format][1](payload)):
                    raise InvalidValueError(f"content for {path}", type(payload).__name__, f"{file_format.upper()} bytes")
                first = False
                _write_all(descriptor, payload)
            if first:
                raise InvalidValueError(f"content for {path}", "nothing", f"{file_format.upper()} bytes")
            if existing is not None:
                _keep_mode_and_owner(descriptor, existing)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        _existing_regular_file(path, target)  # a special file put there meanwhile is still refused
        os.replace(temporary, target)
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError) and not isinstance(error, OutputFileError):
            raise OutputFileError(path, _problem(error)) from None
        raise
    _sync_folder(folder)
    return target


def check_output(path: str | os.PathLike, file_format: str) -> None:
    """Check, before any work, what :func:`write_file` checks before writing.

    The extension must be one of ``file_format``'s, the folder must exist, and whatever is
    already at ``path`` must be a writable regular file. :func:`write_file` checks again.

    Raises
    ------
    InvalidValueError
        For an extension that does not match the format.
    OutputFileError
        For a missing folder or a target that is not a regular file.

    Examples
    --------
    >>> check_output("/tmp/no such folder/c7.dot", "dot")
    Traceback (most recent call last):
    ...
    neurograph.errors.OutputFileError: cannot write /tmp/no such folder/c7.dot: the folder /tmp/no such folder does not exist
    >>> check_output("c7.png", "dot")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid output file extension '.png': expected .dot or .gv for DOT
    """
    path = _check_extension(path, file_format)
    _existing_regular_file(path, _resolved(path))


def _check_extension(path, file_format):
    path = Path(path)
    if file_format not in FILE_FORMATS:
        raise InvalidValueError("file format", file_format, "one of " + ", ".join(FILE_FORMATS))
    suffixes = FILE_FORMATS[file_format][0]
    if path.suffix.lower() not in suffixes:
        raise InvalidValueError(
            "output file extension", path.suffix or path.name, f"{' or '.join(suffixes)} for {file_format.upper()}"
        )
    return path


def _resolved(path):
    """The path a write lands on: a symbolic link's final target, otherwise the path itself."""
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        is_link = False
    return Path(os.path.realpath(path)) if is_link else path


def _existing_regular_file(path, target):
    """The target's stat when it is a regular file, None when it does not exist; refuse anything else."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.exists():
            raise OutputFileError(path, f"the folder {folder} does not exist") from None
        if not folder.is_dir():
            raise OutputFileError(path, f"{folder} is not a folder") from None
        return None
    except NotADirectoryError:
        raise OutputFileError(path, f"{target.parent} is not a folder") from None
    except OSError as error:
        raise OutputFileError(path, _problem(error)) from None
    if not stat.S_ISREG(status.st_mode):
        raise OutputFileError(path, f"it is {file_kind(status.st_mode)}; only a regular file is ever replaced")
    if not os.access(target, os.W_OK):
        raise OutputFileError(path, "the existing file is not writable (permission denied)")
    return status


def _create_temporary(path, folder, name):
    """Create ``.<name>.<random>.neurograph-tmp`` in ``folder`` exclusively, readable as a new file would be."""
    for _ in range(100):
        temporary = Path(folder) / f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            # 0o666 less the umask, as open() gives a new file; O_EXCL never reuses another's file.
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), temporary
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputFileError(path, _problem(error)) from None
    raise OutputFileError(path, f"cannot create a temporary file in {folder}")


def _write_all(descriptor, payload):
    view = memoryview(payload)
    while view:
        view = view[os.write(descriptor, view):]


def _keep_mode_and_owner(descriptor, existing):
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))
    try:
        os.fchown(descriptor, existing.st_uid, existing.st_gid)
    except PermissionError:
        pass  # only the owner's own group or root may keep another owner; the bits are kept regardless


def _remove(temporary):
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass


def _sync_folder(folder):
    """Flush the rename itself to disk; a folder that cannot be opened this way is left as it is."""
    try:
        descriptor = os.open(folder if str(folder) else ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is already on disk
    finally:
        os.close(descriptor)


def _problem(error):
    return (error.strerror or str(error)).lower() if isinstance(error, OSError) else str(error)
