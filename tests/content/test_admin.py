"""The editors' admin: every page works for superusers and editors, and edits are checked."""

import pytest
from django.urls import reverse

from advice.models import FAQ, Article, Cause, Page, Remedy, Symptom, Topic

MODELS = [Topic, Page, Symptom, Remedy, Cause, Article, FAQ]


def admin_url(model, view, *args):
    return reverse(f"admin:advice_{model._meta.model_name}_{view}", args=args)


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request, client, admin_user, editor):
    client.force_login(admin_user if request.param == "superuser" else editor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_load(imported, staff_client, model):
    obj = model.objects.first()
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_search_works(imported, admin_client, model):
    obj = model.objects.first()
    response = admin_client.get(admin_url(model, "changelist"), {"q": obj.title.split()[0]})
    assert response.status_code == 200
    assert obj.title in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["auth_user_changelist", "auth_group_changelist", "auth_user_add", "auth_group_add"]
)
def test_editor_cannot_reach_users_or_groups(client, editor, name):
    client.force_login(editor)
    assert client.get(reverse(f"admin:{name}")).status_code == 403


@pytest.mark.django_db
def test_editor_sees_content_and_not_accounts_on_the_admin_index(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:index")).text
    assert "Causes" in page and "Remedies" in page
    assert "Users" not in page and "Groups" not in page


def cause_form_data(cause, **changes):
    data = {
        "title": cause.title,
        "slug": cause.slug,
        "summary": cause.summary,
        "also_known_as": cause.also_known_as,
        "recovery_time": cause.recovery_time,
        "published": "on",
        "body": cause.body,
        "care_non_urgent": cause.care_non_urgent,
        "care_urgent": cause.care_urgent,
        "care_emergency": cause.care_emergency,
        "remedies": [r.pk for r in cause.remedies.all()],
        "last_reviewed": cause.last_reviewed.isoformat(),
        "next_review": cause.next_review.isoformat(),
        "sources": cause.sources,
        "symptom_links-TOTAL_FORMS": "0",
        "symptom_links-INITIAL_FORMS": "0",
    }
    links = list(cause.symptom_links.all())
    data["symptom_links-TOTAL_FORMS"] = data["symptom_links-INITIAL_FORMS"] = str(len(links))
    for index, link in enumerate(links):
        data.update(
            {
                f"symptom_links-{index}-id": link.pk,
                f"symptom_links-{index}-cause": cause.pk,
                f"symptom_links-{index}-symptom": link.symptom.pk,
                f"symptom_links-{index}-weight": link.weight,
            }
        )
    data.update(changes)
    return data


@pytest.mark.django_db
def test_saving_in_the_admin_renders_and_sanitises_the_body(imported, client, editor):
    client.force_login(editor)
    cause = Cause.objects.get(slug="strain")
    body = "## New section\n\n<script>alert(1)</script>See [ice](/remedies/ice/)."
    response = client.post(admin_url(Cause, "change", cause.pk), cause_form_data(cause, body=body))
    assert response.status_code == 302
    cause.refresh_from_db()
    assert '<h2 id="new-section">New section</h2>' in cause.body_html
    assert "<script" not in cause.body_html
    assert 'href="/remedies/ice/"' in cause.body_html


@pytest.mark.django_db
def test_a_link_to_a_missing_slug_is_a_form_error(imported, admin_client):
    cause = Cause.objects.get(slug="strain")
    body = "Intro.\n\nSee [cold](/remedies/cold-water/)."
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk), cause_form_data(cause, body=body)
    )
    assert response.status_code == 200
    assert "Line 3: link &#x27;/remedies/cold-water/&#x27; points to remedies" in response.text
    cause.refresh_from_db()
    assert "cold-water" not in cause.body


@pytest.mark.django_db
def test_review_dates_are_checked_like_the_import(imported, admin_client):
    cause = Cause.objects.get(slug="strain")
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk), cause_form_data(cause, next_review="2030-01-01")
    )
    assert response.status_code == 200
    assert "within a year" in response.text


@pytest.mark.django_db
def test_symptom_weight_out_of_range_is_a_form_error(imported, admin_client):
    cause = Cause.objects.get(slug="strain")
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk),
        cause_form_data(cause, **{"symptom_links-0-weight": "5"}),
    )
    assert response.status_code == 200
    assert "less than or equal to 3" in response.text


@pytest.mark.django_db
def test_remedy_phases_cannot_also_be_avoided(imported, admin_client):
    remedy = Remedy.objects.get(slug="heat")
    data = {
        "title": remedy.title,
        "slug": remedy.slug,
        "summary": remedy.summary,
        "kind": remedy.kind,
        "phases": ["recovery"],
        "avoid_phases": ["recovery"],
        "cautions": remedy.cautions,
        "published": "on",
        "body": remedy.body,
        "last_reviewed": "2026-11-01",
        "next_review": "2027-05-01",
        "sources": "NHS",
    }
    response = admin_client.post(admin_url(Remedy, "change", remedy.pk), data)
    assert response.status_code == 200
    assert "cannot be both recommended and avoided" in response.text
    data["avoid_phases"] = ["first-72-hours"]
    data["phases"] = ["recovery", "prevention"]
    assert admin_client.post(admin_url(Remedy, "change", remedy.pk), data).status_code == 302
    remedy.refresh_from_db()
    assert remedy.phases == ["recovery", "prevention"]


@pytest.mark.django_db
def test_publish_and_unpublish_actions(imported, admin_client):
    url = admin_url(Article, "changelist")
    pks = list(Article.objects.values_list("pk", flat=True))
    admin_client.post(url, {"action": "unpublish", "_selected_action": pks})
    assert not Article.objects.filter(published=True).exists()
    admin_client.post(url, {"action": "publish", "_selected_action": pks})
    assert not Article.objects.filter(published=False).exists()


@pytest.mark.django_db
def test_review_due_filter_lists_overdue_items(imported, admin_client):
    Article.objects.update(next_review="2020-01-01")
    response = admin_client.get(admin_url(Article, "changelist"), {"review": "due"})
    assert "First aid for a pulled hamstring" in response.text
    assert "Overdue" in response.text


@pytest.mark.django_db
def test_change_page_shows_rendered_preview_and_view_on_site(imported, admin_client):
    article = Article.objects.get(slug="first-aid")
    page = admin_client.get(admin_url(Article, "change", article.pk)).text
    assert '<h2 id="straight-away">Straight away</h2>' in page
    assert "View on site" in page
