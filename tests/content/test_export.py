"""export_content: only what changed, in each file's own layout, so git diff shows the edit."""

import difflib

import pytest
from django.core.management import call_command

from advice.models import FAQ, Cause, CauseSymptom, Remedy, Topic
from tests.conftest import admin_url
from tests.factories import make_faq


def export(path, *options):
    call_command("export_content", str(path), *options, verbosity=0)


def snapshot(folder):
    return {path: path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def changed_lines(before, after):
    """The -/+ lines of a unified diff between two texts."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.django_db
def test_a_one_field_admin_edit_exports_as_a_one_line_diff(
    imported, admin_client, admin_form_data, sign_off
):
    path = imported / "causes" / "strain.md"
    before = path.read_text()
    cause = Cause.objects.get(slug="strain")
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk),
        admin_form_data(cause, recovery_time="Two to six weeks."),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    sign_off(cause)  # the export writes approved items only
    others = snapshot(imported)

    export(imported)

    assert changed_lines(before, path.read_text()) == [
        "-recovery_time: Days to weeks.",
        "+recovery_time: Two to six weeks.",
    ]
    others[path] = path.read_bytes()
    assert snapshot(imported) == others  # no other file touched


@pytest.mark.django_db
def test_a_body_edit_changes_only_the_body_lines(imported, admin_client, admin_form_data, sign_off):
    path = imported / "causes" / "strain.md"
    before = path.read_text()
    cause = Cause.objects.get(slug="strain")
    body = cause.body.replace("A strain.", "A strain of the muscle.")
    admin_client.post(admin_url(Cause, "change", cause.pk), admin_form_data(cause, body=body))
    export(imported)
    assert path.read_text() == before  # a draft is not exported
    sign_off(cause)
    export(imported)
    rest = "Use [ice](/remedies/ice/) first and read the [FAQ](/faq/#how-long)."
    assert changed_lines(before, path.read_text()) == [
        f"-A strain. {rest}",
        f"+A strain of the muscle. {rest}",
    ]


@pytest.mark.django_db
def test_the_authors_order_of_linked_items_is_kept(imported):
    path = imported / "causes" / "strain.md"
    before = path.read_text()
    assert "remedies:\n  - ice\n  - heat\n" in before  # not alphabetical
    cause = Cause.objects.get(slug="strain")
    cause.save()  # a save that changes nothing else
    cause.remedies.remove(Remedy.objects.get(slug="ice"))
    export(imported)
    assert changed_lines(before, path.read_text()) == ["-  - ice"]

    cause.remedies.add(Remedy.objects.get(slug="ice"))
    export(imported)
    assert "remedies:\n  - heat\n  - ice\n" in path.read_text()  # added at the end


@pytest.mark.django_db
def test_a_weight_change_is_one_line_and_comments_and_quotes_stay(imported):
    path = imported / "causes" / "strain.md"
    text = path.read_text()
    text = text.replace("title: Hamstring strain", 'title: "Hamstring strain"  # the NHS name')
    text = text.replace("  sudden-onset: 3", "  # the telling sign\n  sudden-onset: 3")
    path.write_text(text)
    call_command("import_content", str(imported), verbosity=0)
    CauseSymptom.objects.filter(cause__slug="strain", symptom__slug="pop-at-injury").update(
        weight=3
    )
    Cause.objects.get(slug="strain").save()
    Cause.objects.filter(slug="strain").update(title="Strained hamstring")

    export(imported)

    assert changed_lines(text, path.read_text()) == [
        '-title: "Hamstring strain"  # the NHS name',
        '+title: "Strained hamstring" # the NHS name',  # the comment keeps its column
        "-  pop-at-injury: 2",
        "+  pop-at-injury: 3",
    ]


@pytest.mark.django_db
def test_a_second_export_writes_nothing(imported):
    Cause.objects.filter(slug="strain").update(recovery_time="Weeks.")
    export(imported)
    after_first = snapshot(imported)
    mtimes = {path: path.stat().st_mtime_ns for path in after_first}
    export(imported)
    assert snapshot(imported) == after_first
    assert {path: path.stat().st_mtime_ns for path in after_first} == mtimes


@pytest.mark.django_db
def test_a_new_item_gets_the_canonical_layout(imported):
    make_faq(
        "new-question",
        topic=Topic.objects.get(slug="strains"),
        title="Can I run?",
        summary="Yes",
        body="Not yet.",
        popular=True,
    )
    export(imported)
    assert (imported / "faqs" / "new-question.md").read_text() == (
        "---\n"
        "title: Can I run?\n"
        'summary: "Yes"\n'  # YAML 1.1 would read a bare Yes as true
        "last_reviewed: 2026-11-01\n"
        "next_review: 2027-05-01\n"
        "owner: Editorial team\n"
        "clinical_reviewer: Editorial team\n"
        "sources:\n"
        "  - title: Hamstring injury\n"
        "    publisher: NHS\n"
        "    url: https://www.nhs.uk/conditions/hamstring-injury/\n"
        "topic: strains\n"
        "popular: true\n"
        "---\n"
        "Not yet.\n"
    )
    call_command("import_content", str(imported), verbosity=0)
    assert FAQ.objects.get(slug="new-question").summary == "Yes"


@pytest.mark.django_db
def test_a_file_changed_on_both_sides_is_not_overwritten(imported, capsys):
    path = imported / "causes" / "strain.md"
    path.write_text(path.read_text().replace("Days to weeks.", "Changed in the file."))
    Cause.objects.filter(slug="strain").update(summary="Changed in the admin.")
    before = path.read_text()
    capsys.readouterr()
    call_command("export_content", str(imported))
    out = capsys.readouterr().out
    assert "changed both in the file and in the admin" in out and str(path) in out
    assert path.read_text() == before


@pytest.mark.django_db
def test_a_file_edited_on_disk_is_left_alone_when_its_item_is_unchanged(imported):
    path = imported / "causes" / "strain.md"
    path.write_text(path.read_text().replace("Days to weeks.", "Edited, not imported yet."))
    before = snapshot(imported)
    export(imported)
    assert snapshot(imported) == before


@pytest.mark.django_db
def test_files_without_an_item_are_listed_and_removed_only_with_prune(imported, capsys):
    FAQ.objects.get(slug="is-it-serious").delete()
    path = imported / "faqs" / "is-it-serious.md"
    capsys.readouterr()
    call_command("export_content", str(imported))
    assert str(path) in capsys.readouterr().out and path.exists()
    export(imported, "--prune")
    assert not path.exists()


@pytest.mark.django_db
def test_prune_keeps_a_new_file_nobody_has_imported_yet(imported):
    new = imported / "faqs" / "a-new-question.md"
    new.write_text((imported / "faqs" / "how-long.md").read_text(), encoding="utf-8")
    export(imported, "--prune")
    assert new.exists()


@pytest.mark.django_db
def test_windows_line_endings_are_kept(imported):
    path = imported / "faqs" / "how-long.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    call_command("import_content", str(imported), verbosity=0)
    FAQ.objects.filter(slug="how-long").update(order=2)
    export(imported)
    raw = path.read_bytes()
    assert b"\r\norder: 2\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


@pytest.mark.django_db
def test_a_file_added_on_disk_for_an_item_created_in_the_admin_is_not_overwritten(imported):
    make_faq("twin", topic=Topic.objects.get(slug="strains"), title="Made in the admin?")
    path = imported / "faqs" / "twin.md"
    text = (imported / "faqs" / "how-long.md").read_text()
    path.write_text(text)
    export(imported)
    assert path.read_text() == text
