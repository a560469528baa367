"""imported_hash: what tells an admin edit from a changed file survives schema upgrades."""

from dataclasses import replace

import pytest
from django.core.management import call_command

from advice.content.schema import KINDS, Key, _fingerprint, record_from_instance, record_hash
from advice.models import Cause
from tests.content.test_import import import_output, replace_in


def strain_record():
    return record_from_instance(KINDS["causes"], Cause.objects.get(slug="strain"))


def store_hash_in_the_older_form():
    """Store strain's hash as imports before this change did: every key taken in."""
    Cause.objects.filter(slug="strain").update(
        imported_hash=_fingerprint(KINDS["causes"], strain_record())
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "new_key", [Key("aliases", "text_list", default=[]), Key("pinned", "bool", default=False)]
)
def test_a_key_added_to_a_kind_leaves_saved_items_hashes_as_they_were(imported, new_key):
    causes = KINDS["causes"]
    upgraded = replace(causes, keys=(*causes.keys, new_key))
    record = strain_record()

    at_default = {**record, new_key.name: new_key.default_value()}
    assert record_hash(upgraded, at_default) == record_hash(causes, record)
    set_by_an_editor = {
        **record,
        new_key.name: ["hamstring pull"] if new_key.default == [] else True,
    }
    assert record_hash(upgraded, set_by_an_editor) != record_hash(causes, record)


@pytest.mark.django_db
def test_a_file_change_imports_over_a_hash_stored_in_the_older_form(imported, capsys):
    store_hash_in_the_older_form()
    replace_in(imported / "causes" / "strain.md", "Days to weeks.", "Changed in the file.")

    out = import_output(imported, capsys=capsys)

    assert "updated 1" in out and "Kept changes" not in out
    strain = Cause.objects.get(slug="strain")
    assert strain.recovery_time == "Changed in the file."
    assert strain.imported_hash == record_hash(KINDS["causes"], strain_record())


@pytest.mark.django_db
def test_an_admin_edit_is_still_kept_over_a_hash_stored_in_the_older_form(imported, capsys):
    store_hash_in_the_older_form()
    Cause.objects.filter(slug="strain").update(recovery_time="Edited in the admin.")
    replace_in(imported / "causes" / "strain.md", "Days to weeks.", "Changed in the file.")

    out = import_output(imported, capsys=capsys)

    assert "Kept changes made in the admin" in out and "causes/strain" in out
    assert Cause.objects.get(slug="strain").recovery_time == "Edited in the admin."


@pytest.mark.django_db
def test_an_unchanged_import_stores_the_current_form(imported):
    store_hash_in_the_older_form()
    call_command("import_content", str(imported), verbosity=0)
    assert Cause.objects.get(slug="strain").imported_hash == record_hash(
        KINDS["causes"], strain_record()
    )


@pytest.mark.django_db
def test_an_export_over_a_hash_in_the_older_form_writes_nothing_and_stores_the_current_form(
    imported,
):
    store_hash_in_the_older_form()
    before = {path: path.read_bytes() for path in imported.rglob("*.md")}

    call_command("export_content", str(imported), verbosity=0)

    assert {path: path.read_bytes() for path in imported.rglob("*.md")} == before
    assert Cause.objects.get(slug="strain").imported_hash == record_hash(
        KINDS["causes"], strain_record()
    )


@pytest.mark.django_db
def test_a_file_edited_on_disk_is_not_overwritten_over_a_hash_in_the_older_form(imported):
    store_hash_in_the_older_form()
    strain_file = imported / "causes" / "strain.md"
    replace_in(strain_file, "Days to weeks.", "Changed on disk.")
    Cause.objects.filter(slug="strain").update(recovery_time="Edited in the admin.")

    call_command("export_content", str(imported), verbosity=0)

    assert "Changed on disk." in strain_file.read_text(encoding="utf-8")
