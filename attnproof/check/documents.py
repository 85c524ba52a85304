"""The documents `attnproof check` reads: which files a path names, and each file's kind and text."""

import os
from pathlib import Path

from attnproof.errors import InputError

KINDS = {".md": "markdown", ".markdown": "markdown", ".tex": "tex", ".ipynb": "notebook"}
SKIPPED_FOLDERS = {"node_modules", "__pycache__"}  # besides every hidden folder (.git, .venv, .ipynb_checkpoints)
MAX_BYTES = 20 * 1024 * 1024


class DocumentError(InputError):
    """A document that cannot be read: one line, naming the file when it is known.

    Example:
        >>> str(DocumentError("no such file", "notes.md"))
        'notes.md: no such file'
    """

    def __init__(self, problem: str, file: str | None = None):
        super().__init__(f"{file}: {problem}" if file else problem)
        self.problem = problem
        self.file = file


def discover(paths: list[Path]) -> list[Path]:
    """The files to check: each file as given, each directory's documents found recursively and sorted.

    Hidden folders and node_modules are skipped; a path given twice is checked once; a path that does
    not exist is kept, for `read` to report.

    Example:
        >>> [str(path) for path in discover([Path("missing.md"), Path("missing.md")])]
        ['missing.md']
    """
    found: dict[Path, None] = {}
    for path in paths:
        found.update(dict.fromkeys(_documents(path) if path.is_dir() else [path]))
    return list(found)


def _documents(folder: Path) -> list[Path]:
    documents = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        documents += [Path(root, name) for name in files if kind(Path(name)) and not name.startswith(".")]
    return sorted(documents)


def kind(path: Path) -> str | None:
    """The kind of document a file name says it is ("markdown", "tex", "notebook"), or None.

    Example:
        >>> kind(Path("lecture.IPYNB")), kind(Path("notes.txt"))
        ('notebook', None)
    """
    return KINDS.get(path.suffix.lower())


def read(path: Path) -> tuple[str, str]:
    """(kind, text) of a document; DocumentError, naming the file, when it cannot be checked.

    Example:
        >>> read(Path("missing.md"))
        Traceback (most recent call last):
        attnproof.check.documents.DocumentError: missing.md: no such file
    """
    try:
        return _read(path)
    except FileNotFoundError:
        raise DocumentError("no such file", str(path)) from None
    except OSError as error:
        raise DocumentError(f"cannot read: {error.strerror or error}", str(path)) from None


def _read(path: Path) -> tuple[str, str]:
    if path.is_dir():
        raise DocumentError("is a directory (give it as a path to check the documents inside)", str(path))
    size = path.stat().st_size
    document_kind = kind(path)
    if document_kind is None:
        expected = ", ".join(KINDS)
        raise DocumentError(f"unsupported file type '{path.suffix or path.name}' (expected {expected})", str(path))
    if size > MAX_BYTES:
        raise DocumentError(f"too big ({size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)", str(path))
    return document_kind, _decode(path.read_bytes(), str(path))


def _decode(data: bytes, file: str) -> str:
    nul = data.find(b"\0")
    if nul >= 0:
        raise DocumentError(f"binary file (NUL byte at byte offset {nul})", file)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        where = f"byte offset {error.start} (line {line})"
        raise DocumentError(f"not UTF-8: invalid byte 0x{data[error.start]:02x} at {where}", file) from None
