"""Hostile or broken files: each is a ``path:line: message``, and the database is unchanged.

`make run` and `make serve` import content/ at every start, so nothing a file
holds may crash the import, exhaust memory, or reach outside content/.
"""

import os
import time
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from advice.content import tree
from advice.content.front_matter import MAX_DEPTH, FrontMatterError, parse_front_matter
from advice.models import FAQ
from tests.conftest import database_snapshot

FAQ_FILE = """\
---
title: How long does a strain take to heal?
summary: From days to months, depending on the grade.
topic: strains
order: 1
causes:
  - strain
last_reviewed: 2026-11-01
next_review: 2027-05-01
sources:
  - title: Hamstring injury
    publisher: NHS
    url: https://www.nhs.uk/conditions/hamstring-injury/
owner: Editorial team
clinical_reviewer: Editorial team
---
It depends on the grade; see [strains](/causes/strain/).
"""
# Lines of FAQ_FILE: 2 title, 3 summary, 5 order, 7 causes entry, 11 source title, 17 body.


def faq(line, new):
    """FAQ_FILE with its line number ``line`` replaced by ``new``."""
    lines = FAQ_FILE.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def alias_bomb():
    """The "billion laughs": 566 bytes of YAML that expand to billions of strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=False):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return "---\n" + "\n".join(lines) + "\n---\nText.\n"


def nested(depth):
    return f"---\ntitle: {'[' * depth}{']' * depth}\n---\nText.\n"


# (id, text of faqs/hostile.md, line, words of the message)
HOSTILE_TEXT = [
    ("alias bomb", alias_bomb(), 2, "YAML anchors ('&name') are not allowed"),
    ("alias", faq(3, "summary: *title"), 3, "YAML aliases ('*name') are not allowed"),
    ("merge key", faq(3, "summary: {<<: *x}"), 3, "YAML aliases"),
    ("anchor", faq(2, "title: &t How long?"), 2, "YAML anchors"),
    ("5,000-deep nesting", nested(5000), 2, f"nested more than {MAX_DEPTH} levels deep"),
    ("20-digit order", faq(5, "order: 12345678901234567890"), 5, "from 0 to 32767"),
    ("5,000-digit order", faq(5, f"order: {'9' * 5000}"), 5, "5000 characters long"),
    ("negative order", faq(5, "order: -1"), 5, "from 0 to 32767"),
    ("order as a float", faq(5, "order: 1.5e300"), 5, "must be a whole number"),
    ("NUL escape in the title", faq(2, 'title: "How\\0 long"'), 2, "contains a NUL character"),
    ("raw NUL in front matter", faq(2, "title: How\x00 long"), 2, "character U+0000"),
    ("NUL in a slug list", faq(7, '  - "str\\0ain"'), 7, "must be slugs"),
    (
        "NUL in a text list",
        faq(4, 'topic: strains\nfact_origin:\n  - "seed\\0 file"'),
        6,
        "entry 1 contains a NUL character",
    ),
    ("5,000-character slug", faq(7, f"  - {'a' * 5000}"), 7, "refers to unknown cause 'aaa"),
    ("5,000-character link", FAQ_FILE + f"[x](/{'a' * 5000}/)", 18, "points to pages 'aaa"),
    (
        "NUL in a source",
        faq(11, '  - title: "Hamstring\\0 injury"'),
        11,
        "'title' contains a NUL character",
    ),
    ("NUL in the body", FAQ_FILE + "\nMore\x00 text.\n", 19, "the body contains a NUL character"),
    ("surrogate", faq(2, 'title: "How \\ud800 long"'), 2, "half of a UTF-16 surrogate pair"),
    ("1,000-character title", faq(2, f"title: {'x' * 1000}"), 2, "at most 200 characters"),
    ("301-character summary", faq(3, f"summary: {'x' * 301}"), 3, "at most 300 characters"),
    ("list key", faq(5, "? [a, b]\n: 1"), 5, "a key must be a plain name"),
    ("python tag", faq(5, "order: !!python/object:os.system x"), 5, "broken YAML"),
    (
        "deeply nested list in the body",
        FAQ_FILE + "".join("  " * depth + "- x\n" for depth in range(30)),
        39,
        "indented by 42 spaces",
    ),
    ("unclosed brackets in the body", FAQ_FILE + "[" * 5000, 18, "more than 1000 '['"),
    ("long body", FAQ_FILE + ("word " * 40 + "\n") * 1100, 17, "the body has 2"),
]


# (id, line of causes/strain.md, its new text, line reported, words of the message)
HOSTILE_CAUSE_LINES = [
    ("NUL in also_known_as", 5, '  - "Pulled\\0 hamstring"', 5, "contains a NUL character"),
    ("long alias", 5, f"  - {'x' * 501}", 5, "at most 500 characters"),
    ("NUL in a care card", 17, '    - "You cannot\\0 walk."', 16, "contains a NUL character"),
    ("long care line", 17, f"    - {'x' * 501}", 16, "must be at most 500 characters"),
    ("huge weight", 9, "  pop-at-injury: 99999999999999999999", 9, "must be 1, 2 or 3, not 999"),
    ("NUL in a symptom slug", 9, '  "pop\\0": 2', 9, "which is not a symptom slug"),
]


def run_import(path):
    call_command("import_content", str(path), verbosity=0)


def assert_refused(folder, capsys, path, line, message):
    before = database_snapshot()
    capsys.readouterr()
    with pytest.raises(CommandError, match="nothing was changed"):
        run_import(folder)
    errors = capsys.readouterr().err
    assert f"{path}:{line}: " in errors, errors[:2000]
    assert message in errors, errors[:2000]
    # No message repeats a huge value back: each stays readable.
    assert max(len(error) for error in errors.splitlines()) < len(str(path)) + 300
    assert database_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [case[1:] for case in HOSTILE_TEXT],
    ids=[case[0] for case in HOSTILE_TEXT],
)
def test_hostile_text_is_a_problem_on_its_line(imported, capsys, text, line, message):
    path = imported / "faqs" / "hostile.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_refused(imported, capsys, path, line, message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "new", "line", "message"),
    [case[1:] for case in HOSTILE_CAUSE_LINES],
    ids=[case[0] for case in HOSTILE_CAUSE_LINES],
)
def test_hostile_list_entries_and_cards_are_problems_on_their_line(
    imported, capsys, number, new, line, message
):
    path = imported / "causes" / "strain.md"
    lines = path.read_text().split("\n")
    lines[number - 1] = new
    path.write_text("\n".join(lines))
    assert_refused(imported, capsys, path, line, message)


def test_the_fixture_file_itself_is_clean(imported, capsys):
    (imported / "faqs" / "hostile.md").write_text(FAQ_FILE)
    run_import(imported)
    assert FAQ.objects.filter(slug="hostile").exists()


@pytest.mark.django_db
def test_the_alias_bomb_is_refused_at_once_in_little_memory(tmp_path):
    path = tmp_path / "bomb.md"
    path.write_text(alias_bomb())
    assert len(alias_bomb().encode()) < 600
    tracemalloc.start()
    started = time.process_time()
    try:
        result = tree.parse_file("faqs", path)
        seconds = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(problem) for problem in result] == [
        f"{path}:2: YAML anchors ('&name') are not allowed; write each value out in full"
    ]
    assert peak < 1_000_000  # bytes; expanding it would take gigabytes
    assert seconds < 1


@pytest.mark.django_db
def test_a_slug_longer_than_the_model_allows_is_refused(imported, capsys):
    path = imported / "faqs" / f"{'a' * 101}.md"
    path.write_text(FAQ_FILE)
    assert_refused(imported, capsys, path, 1, "the slug is longer than 100 characters")


@pytest.mark.django_db
def test_a_dangling_symlink_is_refused(imported, capsys):
    path = imported / "faqs" / "gone.md"
    path.symlink_to(imported / "faqs" / "nothing-here.md")
    assert_refused(imported, capsys, path, 1, "symbolic links are not allowed")


@pytest.mark.django_db
def test_a_symlink_to_a_file_outside_the_content_folder_is_not_imported(imported, tmp_path, capsys):
    outside = tmp_path / "outside.md"
    outside.write_text(FAQ_FILE)
    path = imported / "faqs" / "outside.md"
    path.symlink_to(outside)
    assert_refused(imported, capsys, path, 1, "symbolic links are not allowed")
    assert not FAQ.objects.filter(slug="outside").exists()


@pytest.mark.django_db
def test_a_symlinked_folder_is_refused_and_not_followed(imported, tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "outside.md").write_text(FAQ_FILE)
    (imported / "faqs" / "more").symlink_to(outside)
    assert_refused(imported, capsys, imported / "faqs" / "more", 0, "symbolic links")
    assert not FAQ.objects.filter(slug="outside").exists()


@pytest.mark.django_db
def test_a_symlinked_kind_folder_is_refused(imported, tmp_path, capsys):
    real = tmp_path / "real-faqs"
    (imported / "faqs").rename(real)
    (imported / "faqs").symlink_to(real)
    assert_refused(imported, capsys, imported / "faqs", 0, "symbolic links")


@pytest.mark.django_db
def test_a_50_mb_file_is_refused_without_being_read(imported, capsys):
    path = imported / "faqs" / "huge.md"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB long, nothing on disk
    tracemalloc.start()
    try:
        assert_refused(imported, capsys, path, 1, "the file is 52,428,800 bytes")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


@pytest.mark.django_db
def test_a_folder_named_like_a_file_is_refused(imported, capsys):
    path = imported / "faqs" / "folder.md"
    path.mkdir()
    assert_refused(imported, capsys, path, 1, "not a regular file")


@pytest.mark.django_db
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(imported, capsys):
    path = imported / "faqs" / "pipe.md"
    os.mkfifo(path)
    assert_refused(imported, capsys, path, 1, "not a regular file")


def test_nesting_far_deeper_than_any_file_is_refused_without_a_crash():
    # libyaml's own composer recurses in C and crashes the process on nesting like
    # this; the front matter's composer must stop at MAX_DEPTH first.
    deep = "[" * 200_000 + "]" * 200_000
    with pytest.raises(FrontMatterError, match=f"nested more than {MAX_DEPTH} levels deep"):
        parse_front_matter(f"---\ntitle: {deep}\n---\nBody.\n".encode())
