"""No lost updates: a form opened before someone else's save cannot silently undo it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from advice.content.forms import form_values
from advice.models import FAQ, Cause, ContentDraft
from tests.conftest import admin_url


@pytest.fixture
def two_editors(imported, editor, django_user_model):
    other = django_user_model.objects.create_user("ola", password="a-long-test-password-2")
    other.is_staff = True
    other.save()
    other.groups.add(Group.objects.get(name="Editors"))
    sessions = []
    for user in (editor, other):
        client = Client()
        client.force_login(user)
        sessions.append(client)
    return sessions


def open_form(client, obj):
    """What the browser would post back from the change page, as it was opened."""
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        data.update(form_values(name, form[name].value()))
    return data


def save(client, obj, data, **changes):
    return client.post(admin_url(type(obj), "change", obj.pk), {**data, **changes})


def data_shown(response):
    """The data of the form the page shows after a refused save."""
    form = response.context["adminform"].form
    return {key: form.data.getlist(key) for key in form.data}


@pytest.mark.django_db
def test_a_save_from_an_older_form_is_refused_and_keeps_both_edits(two_editors):
    first, second = two_editors
    faq = FAQ.objects.get(slug="how-long")
    first_form, second_form = open_form(first, faq), open_form(second, faq)

    response = save(first, faq, first_form, summary="A new summary from the first editor.")
    assert response.status_code == 302
    response = save(second, faq, second_form, title="A new title from the second editor?")

    assert response.status_code == 200
    text = response.text
    assert "Someone else saved this item after you opened it" in text
    assert "Summary: now &#x27;A new summary from the first editor.&#x27;" in text
    assert "your changes (Title) applied on top" in text
    faq.refresh_from_db()
    assert faq.summary == "A new summary from the first editor."  # not lost
    assert faq.title == "How long does a strain take to heal?"  # not saved yet

    shown = data_shown(response)
    assert shown["summary"] == ["A new summary from the first editor."]
    assert shown["title"] == ["A new title from the second editor?"]
    response = second.post(admin_url(FAQ, "change", faq.pk), shown)  # "save again"
    assert response.status_code == 302
    faq.refresh_from_db()
    assert faq.summary == "A new summary from the first editor."
    assert faq.title == "A new title from the second editor?"


@pytest.mark.django_db
def test_two_body_edits_conflict_and_the_form_keeps_the_editors_own(two_editors):
    first, second = two_editors
    cause = Cause.objects.get(slug="strain")
    first_form, second_form = open_form(first, cause), open_form(second, cause)
    save(first, cause, first_form, body=cause.body + "\n\nA paragraph from the first editor.")
    response = save(second, cause, second_form, body=cause.body + "\n\nFrom the second editor.")

    assert response.status_code == 200
    assert "Body: now changed" in response.text
    assert "You both changed Body" in response.text
    assert data_shown(response)["body"] == [cause.body + "\n\nFrom the second editor."]
    # The first editor's body waits, not lost, in the draft awaiting sign-off.
    draft = ContentDraft.objects.get(kind="causes", object_pk=cause.pk)
    assert draft.record["body"].endswith("A paragraph from the first editor.")


@pytest.mark.django_db
def test_weights_changed_by_another_editor_are_kept_in_the_merged_form(two_editors):
    first, second = two_editors
    cause = Cause.objects.get(slug="strain")
    first_form, second_form = open_form(first, cause), open_form(second, cause)
    save(first, cause, first_form, **{"symptom_weights__pop-at-injury": "3"})
    response = save(second, cause, second_form, recovery_time="Three weeks.")
    assert "Symptoms and their weights: now" in response.text
    shown = data_shown(response)
    assert shown["symptom_weights__pop-at-injury"] == ["3"]
    assert shown["recovery_time"] == ["Three weeks."]


@pytest.mark.django_db
def test_a_save_that_changed_nothing_is_no_conflict(two_editors):
    first, second = two_editors
    faq = FAQ.objects.get(slug="how-long")
    first_form, second_form = open_form(first, faq), open_form(second, faq)
    assert save(first, faq, first_form).status_code == 302
    assert save(second, faq, second_form, title="A new title?").status_code == 302
    faq.refresh_from_db()
    assert faq.title == "A new title?"


@pytest.mark.django_db
def test_a_tampered_version_is_refused(two_editors):
    first, _ = two_editors
    faq = FAQ.objects.get(slug="how-long")
    data = open_form(first, faq)
    response = save(first, faq, data, edit_base=data["edit_base"][0] + "x", title="Changed?")
    assert "This form is too old to save" in response.text
    faq.refresh_from_db()
    assert faq.title == "How long does a strain take to heal?"
