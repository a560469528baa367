"""Clinical sign-off: a clinical change waits as a draft; readers see the approved version."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from advice.content.history import history_of
from advice.content.signoff import DRAFT_SAVED, NOT_BY_AUTHOR, seen_token
from advice.models import FAQ, Cause, ContentDraft, ContentVersion, Page, TriageRule
from tests.conftest import admin_url
from tests.content.test_edit_conflicts import data_shown, open_form, save

NEW_BODY = "## What it is\n\nA strain of the zebrafinch muscle. Use [ice](/remedies/ice/) first."
CHECKER_API = reverse("advice:checker_api")
DASHBOARD = reverse("review_dashboard")


@pytest.fixture
def strain(imported):
    return Cause.objects.get(slug="strain")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


def edit(client, form_data, obj, **changes):
    response = client.post(admin_url(type(obj), "change", obj.pk), form_data(obj, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def review_page(draft):
    return reverse("admin:advice_contentdraft_change", args=[draft.pk])


def approve_url(draft):
    return reverse("admin:advice_contentdraft_approve", args=[draft.pk])


def read(draft):
    """The approve form's data after reading ``draft`` as it is now."""
    draft.refresh_from_db()
    return {"seen": seen_token(draft)}


@pytest.mark.django_db
def test_a_draft_saved_again_after_the_reviewer_opened_it_is_not_approved(
    strain, editor_client, admin_form_data, reviewer_client
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    opened = reviewer_client.get(review_page(draft)).context["seen"]
    edit(editor_client, admin_form_data, strain, body=NEW_BODY + "\nA later line.\n")
    response = reviewer_client.post(approve_url(draft), {"seen": opened}, follow=True)
    assert "saved again since you opened it" in response.text
    strain.refresh_from_db()
    assert "A later line." not in strain.body and NEW_BODY not in strain.body
    assert ContentDraft.objects.filter(pk=draft.pk).exists()


def checker(client, query="?symptom=pop-at-injury"):
    return client.get(CHECKER_API + query).json()


# --- A clinical change waits; readers keep the approved version ---------------------


@pytest.mark.django_db
def test_a_body_change_waits_for_sign_off_and_readers_keep_the_approved_page(
    strain, editor_client, admin_form_data, client, no_page_cache, sign_off
):
    page_url = strain.get_absolute_url()
    old_body = strain.body
    response = edit(editor_client, admin_form_data, strain, body=NEW_BODY)

    assert DRAFT_SAVED in editor_client.get(response["Location"]).text
    strain.refresh_from_db()
    assert strain.body == old_body  # the live row is untouched
    assert "zebrafinch" not in client.get(page_url).text
    assert "No results for" in client.get("/search/", {"q": "zebrafinch"}).text
    draft = ContentDraft.objects.get(kind="causes", object_pk=strain.pk)
    assert draft.changed == ["body"]
    assert draft.record["body"] == NEW_BODY

    sign_off(strain)

    assert strain.body == NEW_BODY
    assert "zebrafinch" in client.get(page_url).text
    assert "1 result for" in client.get("/search/", {"q": "zebrafinch"}).text


@pytest.mark.django_db
def test_saving_a_draft_keeps_readers_cached_pages(strain, editor_client, admin_form_data):
    version = ContentVersion.objects.get().version
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    assert ContentVersion.objects.get().version == version  # nothing readers see changed


@pytest.mark.django_db
def test_a_weight_change_leaves_the_checker_alone_until_approved(
    strain, editor_client, admin_form_data, client, no_page_cache, sign_off
):
    before = checker(client)
    edit(
        editor_client,
        admin_form_data,
        strain,
        symptom_weights={"sudden-onset": 3, "pop-at-injury": 3},
        confirm_changes=True,
    )
    assert checker(client) == before
    assert strain.symptom_links.get(symptom__slug="pop-at-injury").weight == 2

    sign_off(strain)

    assert strain.symptom_links.get(symptom__slug="pop-at-injury").weight == 3
    assert checker(client)["causes"][0]["score"] > before["causes"][0]["score"]


@pytest.mark.django_db
def test_a_triage_rule_change_waits_even_for_its_title(imported, editor_client, admin_form_data):
    rule = TriageRule.objects.get(slug="severe-after-injury")
    edit(editor_client, admin_form_data, rule, title="Severe pain after a fall", level="emergency")
    rule.refresh_from_db()
    assert (rule.title, rule.level) == ("Severe pain after an injury", "urgent")
    draft = ContentDraft.objects.get(kind="triage-rules", object_pk=rule.pk)
    assert draft.changed == ["title", "level"]


@pytest.mark.django_db
def test_a_non_clinical_change_applies_at_once(strain, editor_client, admin_form_data):
    response = edit(editor_client, admin_form_data, strain, title="Pulled hamstring")
    strain.refresh_from_db()
    assert strain.title == "Pulled hamstring"
    assert not ContentDraft.objects.exists()
    assert DRAFT_SAVED not in editor_client.get(response["Location"]).text


@pytest.mark.django_db
def test_publishing_or_unpublishing_is_a_clinical_change(imported, admin_client):
    faq = FAQ.objects.get(slug="is-it-serious")
    url = admin_url(FAQ, "changelist")
    admin_client.post(url, {"action": "unpublish", "_selected_action": [faq.pk]})
    faq.refresh_from_db()
    assert faq.published
    assert ContentDraft.objects.get(kind="faqs", object_pk=faq.pk).record["published"] is False


# --- Editing a draft -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_change_form_shows_the_draft_with_a_banner(
    strain, editor_client, admin_form_data, editor
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    page = editor_client.get(admin_url(Cause, "change", strain.pk))
    assert page.context["adminform"].form["body"].value() == NEW_BODY
    assert "This form shows a draft awaiting clinical review (started by edna" in page.text
    assert f'href="{review_page(draft)}"' in page.text


@pytest.mark.django_db
def test_further_saves_update_the_draft_and_keep_the_live_item(
    strain, editor_client, admin_form_data
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    form = open_form(editor_client, strain)
    assert save(editor_client, strain, form, summary="A torn hamstring.").status_code == 302
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    assert (draft.record["summary"], draft.record["body"]) == ("A torn hamstring.", NEW_BODY)
    strain.refresh_from_db()
    assert strain.summary == "A stretched or torn hamstring muscle."


@pytest.mark.django_db
def test_two_editors_saving_one_draft_conflict(
    strain, editor_client, admin_form_data, django_user_model
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    other = django_user_model.objects.create_user("ola", password="a-long-test-password-2")
    other.is_staff = True
    other.save()
    other.groups.add(Group.objects.get(name="Editors"))
    second = Client()
    second.force_login(other)
    first_form, second_form = open_form(editor_client, strain), open_form(second, strain)

    first_save = save(editor_client, strain, first_form, summary="First editor's summary.")
    assert first_save.status_code == 302
    response = save(second, strain, second_form, recovery_time="Six weeks.")

    assert response.status_code == 200
    assert "Someone else saved this item after you opened it" in response.text
    shown = data_shown(response)
    assert shown["summary"] == ["First editor's summary."]  # theirs, from the draft
    assert shown["recovery_time"] == ["Six weeks."]  # mine on top
    assert shown["body"] == [NEW_BODY]
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    assert draft.record["recovery_time"] == "Days to weeks."  # not saved yet
    assert second.post(admin_url(Cause, "change", strain.pk), shown).status_code == 302
    draft.refresh_from_db()
    assert draft.record["summary"] == "First editor's summary."
    assert draft.record["recovery_time"] == "Six weeks."
    assert set(draft.contributors.values_list("username", flat=True)) == {"edna", "ola"}


@pytest.mark.django_db
def test_undoing_every_clinical_change_drops_the_draft(strain, editor_client, admin_form_data):
    old_body = strain.body
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    form = open_form(editor_client, strain)
    assert save(editor_client, strain, form, body=old_body, title="Strain").status_code == 302
    assert not ContentDraft.objects.exists()
    strain.refresh_from_db()
    assert strain.title == "Strain"


# --- Approving -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_review_page_shows_the_difference_from_the_live_version(
    strain, editor_client, admin_form_data, reviewer_client
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY, care_non_urgent="Rest it.")
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    page = reviewer_client.get(review_page(draft)).text
    assert "+A strain of the zebrafinch muscle." in page
    assert "-A strain. Use" in page
    assert "Rest it." in page and "It is not better after two weeks." in page
    assert "Approve: publish this version" in page


@pytest.mark.django_db
def test_an_author_cannot_approve_their_own_change(
    strain, admin_form_data, reviewer, reviewer_client
):
    edit(reviewer_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    assert NOT_BY_AUTHOR in reviewer_client.get(review_page(draft)).text

    response = reviewer_client.post(approve_url(draft), read(draft), follow=True)

    assert NOT_BY_AUTHOR in response.text
    assert ContentDraft.objects.filter(pk=draft.pk).exists()
    strain.refresh_from_db()
    assert "zebrafinch" not in strain.body


@pytest.mark.django_db
def test_only_a_clinical_reviewer_may_approve(strain, editor_client, admin_form_data, editor):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    assert editor_client.get(review_page(draft)).status_code == 200  # editors may look
    assert editor_client.post(approve_url(draft), read(draft)).status_code == 403
    assert ContentDraft.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_the_history_records_the_approval_with_author_and_approver(
    strain, editor_client, admin_form_data, reviewer, sign_off
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    sign_off(strain)
    latest = history_of(strain)[0]
    assert latest.source == "Clinical approval"
    assert latest.revision.user == reviewer
    assert latest.changed == ["Body"]
    assert latest.revision.comment == "Changed by edna, approved by rhea"


@pytest.mark.django_db
def test_returning_a_draft_to_its_editor_keeps_it_with_the_note(
    strain, editor_client, admin_form_data, reviewer_client
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    url = reverse("admin:advice_contentdraft_return", args=[draft.pk])
    assert editor_client.post(url, {"note": "Cite a source."}).status_code == 403
    assert reviewer_client.post(url, {"note": "Cite a source."}).status_code == 302
    page = editor_client.get(admin_url(Cause, "change", strain.pk)).text
    assert "Returned to the editor: Cite a source." in page


@pytest.mark.django_db
def test_the_author_may_discard_a_draft(strain, editor_client, admin_form_data):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    url = reverse("admin:advice_contentdraft_discard", args=[draft.pk])
    assert editor_client.post(url).status_code == 302
    assert not ContentDraft.objects.exists()
    strain.refresh_from_db()
    assert "zebrafinch" not in strain.body


# --- The live item changed since the draft -------------------------------------------


@pytest.mark.django_db
def test_an_import_while_a_draft_waits_keeps_the_draft_and_blocks_approval(
    strain, imported, editor_client, admin_form_data, reviewer_client, sign_off
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    path = imported / "causes" / "strain.md"
    path.write_text(path.read_text().replace("Days to weeks.", "Three weeks."))
    call_command("import_content", str(imported), verbosity=0)
    strain.refresh_from_db()
    assert strain.recovery_time == "Three weeks."  # the import wrote the live row
    draft = ContentDraft.objects.get(object_pk=strain.pk)  # and kept the draft

    response = reviewer_client.post(approve_url(draft), read(draft), follow=True)
    assert "Not approved: the live item changed since this draft was made (Recovery time)" in (
        response.text
    )
    page = reviewer_client.get(review_page(draft)).text
    assert "The live item changed since this draft was made" in page
    assert "Three weeks." in page
    strain.refresh_from_db()
    assert "zebrafinch" not in strain.body

    rebase = reverse("admin:advice_contentdraft_rebase", args=[draft.pk])
    assert reviewer_client.post(rebase).status_code == 302
    sign_off(strain)
    assert (strain.recovery_time, strain.body) == ("Three weeks.", NEW_BODY)


@pytest.mark.django_db
def test_rebasing_keeps_the_drafts_version_of_a_key_both_changed(
    strain, imported, editor_client, admin_form_data, reviewer_client, sign_off
):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY, recovery_time="Two weeks.")
    path = imported / "causes" / "strain.md"
    path.write_text(path.read_text().replace("Days to weeks.", "Three weeks."))
    call_command("import_content", str(imported), verbosity=0)
    draft = ContentDraft.objects.get(object_pk=strain.pk)
    rebase = reverse("admin:advice_contentdraft_rebase", args=[draft.pk])
    response = reviewer_client.post(rebase, follow=True)
    assert "Both the live item and the draft changed Recovery time" in response.text
    sign_off(strain)
    assert strain.recovery_time == "Two weeks."


# --- New items and deleting ----------------------------------------------------------


@pytest.mark.django_db
def test_a_new_item_is_not_public_until_approved(
    imported, editor_client, admin_form_data, client, no_page_cache, sign_off
):
    about = Page.objects.get(slug="about")
    data = admin_form_data(
        about, slug="privacy", title="Privacy", body="## Privacy\n\nWe keep little."
    )
    del data["edit_base"]
    response = editor_client.post(admin_url(Page, "add"), data)
    assert response.status_code == 302
    draft = ContentDraft.objects.get(kind="pages", slug="privacy")
    assert response["Location"] == review_page(draft)
    assert not Page.objects.filter(slug="privacy").exists()
    assert client.get("/privacy/").status_code == 404
    # The editor can open it again in the add form.
    form = editor_client.get(admin_url(Page, "add") + f"?draft={draft.pk}").context["adminform"]
    assert form.form["title"].value() == "Privacy"

    sign_off(Page, "privacy")

    assert client.get("/privacy/").status_code == 200
    assert "We keep little." in client.get("/privacy/").text


@pytest.mark.django_db
def test_a_new_item_whose_slug_was_taken_meanwhile_is_not_approved(
    imported, editor_client, admin_form_data, reviewer_client
):
    about = Page.objects.get(slug="about")
    data = admin_form_data(about, slug="privacy", title="Privacy")
    del data["edit_base"]
    assert editor_client.post(admin_url(Page, "add"), data).status_code == 302
    draft = ContentDraft.objects.get(kind="pages", slug="privacy")
    Page.objects.filter(pk=about.pk).update(slug="privacy")  # e.g. an import

    response = reviewer_client.post(approve_url(draft), read(draft), follow=True)

    assert "an item with the slug privacy was created since" in response.text
    assert ContentDraft.objects.filter(pk=draft.pk).exists()
    assert Page.objects.get(slug="privacy").title == "About this site"


@pytest.mark.django_db
def test_a_second_new_item_with_the_slug_of_a_waiting_one_is_refused(
    imported, editor_client, admin_form_data
):
    about = Page.objects.get(slug="about")
    data = admin_form_data(about, slug="privacy", title="Privacy")
    del data["edit_base"]
    assert editor_client.post(admin_url(Page, "add"), data).status_code == 302
    response = editor_client.post(admin_url(Page, "add"), {**data, "title": "Other"})
    assert response.status_code == 200
    assert "A new item with this slug is awaiting clinical review" in response.text


@pytest.mark.django_db
def test_deleting_needs_the_approve_permission(imported, editor_client, reviewer_client):
    faq = FAQ.objects.get(slug="is-it-serious")
    url = admin_url(FAQ, "delete", faq.pk)
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert FAQ.objects.filter(pk=faq.pk).exists()
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 302
    assert not FAQ.objects.filter(pk=faq.pk).exists()


# --- Where drafts are listed ---------------------------------------------------------


@pytest.fixture
def waiting(strain, editor_client, admin_form_data):
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    return ContentDraft.objects.get(object_pk=strain.pk)


@pytest.mark.django_db
def test_the_dashboard_lists_drafts_awaiting_sign_off(waiting, editor_client):
    page = editor_client.get(DASHBOARD).text
    assert "<strong>1</strong> awaiting clinical sign-off" in page
    assert f'<a href="{review_page(waiting)}">Hamstring strain</a>' in page
    assert "<td>edna</td>" in page


@pytest.mark.django_db
def test_the_csv_and_review_due_list_drafts_awaiting_sign_off(waiting, editor_client):
    rows = list(csv.DictReader(io.StringIO(editor_client.get(DASHBOARD + "?format=csv").text)))
    [row] = [row for row in rows if row["Status"] == "Awaiting clinical sign-off"]
    assert (row["Slug"], row["Draft by"], row["Clinical changes"]) == ("strain", "edna", "Body")

    out = io.StringIO()
    try:
        call_command("review_due", stdout=out)
    except CommandError:  # only overdue items fail the command
        pytest.fail("a draft awaiting sign-off is not overdue")
    assert "Awaiting clinical sign-off: causes/strain (Hamstring strain); draft by edna" in (
        out.getvalue()
    )


@pytest.mark.django_db
def test_the_change_list_shows_and_filters_by_sign_off(waiting, editor_client):
    url = admin_url(Cause, "changelist")
    assert "Awaiting clinical review" in editor_client.get(url).text
    awaiting = editor_client.get(url, {"signoff": "awaiting"}).context["cl"].result_list
    approved = editor_client.get(url, {"signoff": "approved"}).context["cl"].result_list
    assert [c.slug for c in awaiting] == ["strain"]
    assert "strain" not in [c.slug for c in approved]


@pytest.mark.django_db
def test_a_revert_is_refused_while_another_change_awaits_sign_off(
    strain, editor_client, admin_client, admin_form_data
):
    latest = history_of(strain)[0]
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)  # waits for sign-off
    url = admin_url(Cause, "revert", strain.pk, latest.version.pk)
    response = admin_client.post(url, follow=True)
    assert "was not reverted: it has a change awaiting clinical review" in response.text
    assert ContentDraft.objects.get(object_pk=strain.pk).record["body"] == NEW_BODY


@pytest.mark.django_db
def test_reverting_a_clinical_change_makes_a_draft(
    strain, editor_client, admin_form_data, reviewer_client, sign_off
):
    old_body = strain.body
    edit(editor_client, admin_form_data, strain, body=NEW_BODY)
    sign_off(strain)
    older = history_of(strain)[1]
    url = admin_url(Cause, "revert", strain.pk, older.version.pk)
    response = editor_client.post(url, follow=True)
    assert "saved as a draft awaiting clinical review" in response.text
    strain.refresh_from_db()
    assert strain.body == NEW_BODY
    assert ContentDraft.objects.get(object_pk=strain.pk).record["body"] == old_body
