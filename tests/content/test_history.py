"""History: who changed what, when and from where; a diff of any two versions; revert."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command

from advice.content.history import history_of
from advice.models import Cause, Remedy
from tests.conftest import admin_url


def replace_in(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def strain(imported):
    return Cause.objects.get(slug="strain")


def edit_in_admin(client, form_data, obj, **changes):
    response = client.post(admin_url(type(obj), "change", obj.pk), form_data(obj, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()


@pytest.mark.django_db
def test_the_import_records_each_new_item(strain):
    [entry] = history_of(strain)
    assert entry.source == "Import"
    assert entry.revision.user is None
    assert entry.changed == []  # created
    assert entry.state["symptoms"] == {"sudden-onset": 3, "pop-at-injury": 2}
    assert entry.state["remedies"] == ["heat", "ice"]


@pytest.mark.django_db
def test_a_changed_file_records_exactly_the_changed_key(strain, imported):
    replace_in(imported / "causes" / "strain.md", "Days to weeks.", "Three weeks.")
    call_command("import_content", str(imported), verbosity=0)
    assert history_of(strain)[0].changed == ["Recovery time"]


@pytest.mark.django_db
def test_an_admin_edit_records_the_user_and_only_what_changed(
    strain, admin_client, admin_user, admin_form_data
):
    edit_in_admin(
        admin_client, admin_form_data, strain, title="Strained hamstring", summary="A strain."
    )
    latest = history_of(strain)[0]
    assert (latest.source, latest.revision.user) == ("Admin", admin_user)
    assert latest.changed == ["Title", "Summary"]
    log = LogEntry.objects.filter(object_id=str(strain.pk)).latest("action_time")
    assert log.get_change_message() == "Changed Title and Summary."


@pytest.mark.django_db
def test_an_approved_clinical_edit_records_only_what_changed(
    strain, admin_client, admin_form_data, reviewer, sign_off
):
    weights = {"sudden-onset": 3, "pop-at-injury": 1}
    edit_in_admin(
        admin_client,
        admin_form_data,
        strain,
        body=strain.body + "\n\nMore.",
        symptom_weights=weights,
        confirm_changes=True,  # the weights move the checker's causes for a vignette
    )
    assert len(history_of(strain)) == 1  # a draft is not a version
    sign_off(strain)
    latest = history_of(strain)[0]
    assert (latest.source, latest.revision.user) == ("Clinical approval", reviewer)
    assert latest.changed == ["Symptoms", "Body"]


@pytest.mark.django_db
def test_saving_an_unchanged_form_adds_no_version(strain, admin_client, admin_form_data):
    edit_in_admin(admin_client, admin_form_data, strain)
    assert len(history_of(strain)) == 1


@pytest.mark.django_db
def test_the_history_page_lists_who_when_where_from_and_what(strain, admin_client, admin_form_data):
    edit_in_admin(admin_client, admin_form_data, strain, also_known_as="Pulled hamstring\nTweak")
    page = admin_client.get(admin_url(Cause, "history", strain.pk)).text
    assert "Also known as" in page and "Admin" in page and "admin" in page
    assert "Import" in page and "Created" in page
    assert "Revert to this version" in page


@pytest.mark.django_db
def test_compare_shows_fields_side_by_side_and_the_body_as_a_line_diff(
    strain, admin_client, admin_form_data, sign_off
):
    edit_in_admin(
        admin_client,
        admin_form_data,
        strain,
        recovery_time="Three weeks.",
        body=strain.body.replace("## What it is", "## What a strain is"),
    )
    sign_off(strain)
    newer, older = history_of(strain)
    response = admin_client.get(
        admin_url(Cause, "compare", strain.pk),
        {"from": older.version.pk, "to": newer.version.pk},
    )
    assert response.status_code == 200
    fields = [(f.label, f.before, f.after) for f in response.context["fields"]]
    assert fields == [("Recovery time", "Days to weeks.", "Three weeks.")]
    body = [line for sign, line in response.context["body"] if sign in "+-"]
    assert body == ["-## What it is", "+## What a strain is"]
    assert "diff-removed" in response.text and "diff-added" in response.text


@pytest.mark.django_db
def test_revert_restores_the_old_version_once_signed_off_and_is_recorded(
    strain, admin_client, admin_user, admin_form_data, reviewer, sign_off
):
    original_body = strain.body
    edit_in_admin(
        admin_client,
        admin_form_data,
        strain,
        body="## Changed\n\nNew text.",
        symptom_weights={"sudden-onset": 1},
        confirm_changes=True,
    )
    sign_off(strain)
    edit_in_admin(admin_client, admin_form_data, strain, title="Strained hamstring")
    first = history_of(strain)[-1]

    response = admin_client.post(admin_url(Cause, "revert", strain.pk, first.version.pk))

    assert response.status_code == 302
    strain.refresh_from_db()
    assert strain.title == "Strained hamstring"  # the revert changes clinical keys: a draft
    sign_off(strain)
    assert strain.body == original_body and strain.title == "Hamstring strain"
    assert "What it is" in strain.body_html  # re-rendered
    assert {link.symptom.slug: link.weight for link in strain.symptom_links.all()} == {
        "sudden-onset": 3,
        "pop-at-injury": 2,
    }
    latest = history_of(strain)[0]
    assert (latest.source, latest.revision.user) == ("Clinical approval", reviewer)
    assert set(latest.changed) == {"Title", "Symptoms", "Body"}
    assert latest.revision.comment == "Changed by admin, approved by rhea"


@pytest.mark.django_db
def test_a_non_clinical_revert_applies_at_once_and_is_recorded(
    strain, admin_client, admin_user, admin_form_data
):
    edit_in_admin(admin_client, admin_form_data, strain, title="Strained hamstring")
    first = history_of(strain)[-1]
    response = admin_client.post(admin_url(Cause, "revert", strain.pk, first.version.pk))
    assert response.status_code == 302
    strain.refresh_from_db()
    assert strain.title == "Hamstring strain"
    latest = history_of(strain)[0]
    assert (latest.source, latest.revision.user) == ("Revert", admin_user)
    assert latest.changed == ["Title"]
    assert "Reverted to the version of" in latest.revision.comment


@pytest.mark.django_db
def test_a_revert_that_would_break_a_link_is_refused(
    strain, admin_client, admin_form_data, sign_off
):
    edit_in_admin(admin_client, admin_form_data, strain, remedies=[])
    sign_off(strain)
    first = history_of(strain)[-1]  # linked to ice and heat
    Remedy.objects.get(slug="heat").delete()
    response = admin_client.post(
        admin_url(Cause, "revert", strain.pk, first.version.pk), follow=True
    )
    assert "The item was not reverted" in response.text
    assert "unknown remedy" in response.text
    assert not strain.remedies.exists()


@pytest.mark.django_db
def test_revert_needs_a_post(strain, admin_client):
    version = history_of(strain)[0].version
    response = admin_client.get(admin_url(Cause, "revert", strain.pk, version.pk))
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_publish_action_is_recorded(imported, admin_client, sign_off):
    remedy = Remedy.objects.get(slug="heat")
    admin_client.post(
        admin_url(Remedy, "changelist"), {"action": "unpublish", "_selected_action": [remedy.pk]}
    )
    sign_off(remedy)
    latest = history_of(remedy)[0]
    assert latest.changed == ["Published"] and latest.state["published"] is False
