"""Which files `attnproof check` reads, and one clear line for each file it cannot."""

from pathlib import Path

import pytest

from attnproof.check import documents
from attnproof.check.documents import DocumentError, discover, read
from attnproof.errors import InputError


def problem(path: Path) -> str:
    with pytest.raises(DocumentError) as raised:
        read(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert raised.value.file == str(path)
    return raised.value.problem


def test_document_error_is_an_input_error():
    assert issubclass(DocumentError, InputError)
    assert str(DocumentError("bad")) == "bad" and str(DocumentError("bad", "a.md")) == "a.md: bad"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.md", "markdown"), ("a.markdown", "markdown"), ("a.tex", "tex"), ("a.ipynb", "notebook"), ("A.MD", "markdown")],
)
def test_read_gives_kind_and_text(tmp_path, name, kind):
    path = tmp_path / name
    path.write_text("$x = 1$ ü", encoding="utf-8")
    assert read(path) == (kind, "$x = 1$ ü")


def test_read_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf$x$")
    assert read(path) == ("markdown", "$x$")


def test_missing_file(tmp_path):
    assert problem(tmp_path / "missing.md") == "no such file"


def test_directory_given_to_read(tmp_path):
    assert problem(tmp_path).startswith("is a directory")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("$x$")
    assert problem(path) == "unsupported file type '.txt' (expected .md, .markdown, .tex, .ipynb)"


def test_binary_file(tmp_path):
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert problem(path) == "binary file (NUL byte at byte offset 8)"


def test_bad_utf8_names_the_byte_offset_and_line(tmp_path):
    path = tmp_path / "latin1.tex"
    path.write_bytes("line one\ncafé $x$".encode("latin-1"))
    assert problem(path) == "not UTF-8: invalid byte 0xe9 at byte offset 12 (line 2)"


def test_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    path = tmp_path / "big.md"
    path.write_text("x" * 11)
    assert problem(path).startswith("too big (0.0 MB; the limit is")


def test_discover_keeps_files_as_given_and_searches_folders_sorted(tmp_path):
    for name in ["b.md", "a.tex", "sub/z.ipynb", "sub/a.markdown", "notes.txt", "sub/deeper/c.md", "A.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    given = tmp_path / "notes.txt"
    assert discover([given, tmp_path]) == [
        given,
        tmp_path / "A.md",
        tmp_path / "a.tex",
        tmp_path / "b.md",
        tmp_path / "sub/a.markdown",
        tmp_path / "sub/deeper/c.md",
        tmp_path / "sub/z.ipynb",
    ]


def test_discover_skips_hidden_folders_and_node_modules(tmp_path):
    for name in [".git/x.md", ".venv/lib/y.md", "node_modules/pkg/README.md", ".ipynb_checkpoints/n.ipynb", ".h.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "kept.md").write_text("")
    assert discover([tmp_path]) == [tmp_path / "kept.md"]


def test_discover_lists_a_file_once_and_keeps_missing_paths_for_read(tmp_path):
    (tmp_path / "a.md").write_text("")
    missing = tmp_path / "missing.md"
    assert discover([tmp_path / "a.md", tmp_path, missing]) == [tmp_path / "a.md", missing]
