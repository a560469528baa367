"""The editors' admin: every page works for superusers and editors, and edits are checked."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from advice.content.review import Status
from advice.content.schema import KIND_ORDER, KINDS
from advice.models import Article, Cause, ContentDraft, Page, Remedy, Symptom, Topic
from tests.conftest import admin_url

# Every kind, derived, so a new kind is walked through the admin too.
MODELS = [KINDS[name].model for name in KIND_ORDER]


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
    word = str(obj).split()[0].strip(",")
    response = admin_client.get(admin_url(model, "changelist"), {"q": word})
    assert response.status_code == 200
    assert admin_url(model, "change", obj.pk) in response.text


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


@pytest.mark.django_db
def test_saving_in_the_admin_renders_and_sanitises_the_body(
    imported, client, editor, admin_form_data, sign_off
):
    client.force_login(editor)
    cause = Cause.objects.get(slug="strain")
    body = "## New section\n\n<script>alert(1)</script>See [ice](/remedies/ice/)."
    response = client.post(admin_url(Cause, "change", cause.pk), admin_form_data(cause, body=body))
    assert response.status_code == 302
    sign_off(cause)  # a body change waits for clinical sign-off
    assert '<h2 id="new-section">New section</h2>' in cause.body_html
    assert "<script" not in cause.body_html
    assert 'href="/remedies/ice/"' in cause.body_html


@pytest.mark.django_db
def test_a_link_to_a_missing_slug_is_a_form_error(imported, admin_client, admin_form_data):
    cause = Cause.objects.get(slug="strain")
    body = "Intro.\n\nSee [cold](/remedies/cold-water/)."
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk), admin_form_data(cause, body=body)
    )
    assert response.status_code == 200
    assert "Line 3: link &#x27;/remedies/cold-water/&#x27; points to remedies" in response.text
    cause.refresh_from_db()
    assert "cold-water" not in cause.body


@pytest.mark.django_db
def test_review_dates_are_checked_like_the_import(imported, admin_client, admin_form_data):
    cause = Cause.objects.get(slug="strain")
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk), admin_form_data(cause, next_review="2030-01-01")
    )
    assert response.status_code == 200
    assert "within a year" in response.text


@pytest.mark.django_db
def test_symptom_weight_out_of_range_is_a_form_error(imported, admin_client, admin_form_data):
    cause = Cause.objects.get(slug="strain")
    data = admin_form_data(cause)
    data["symptom_weights__pop-at-injury"] = "5"
    response = admin_client.post(admin_url(Cause, "change", cause.pk), data)
    assert response.status_code == 200
    assert "must be 1, 2 or 3" in response.text


@pytest.mark.django_db
def test_symptom_weights_are_rows_with_full_labels(imported, admin_client):
    cause = Cause.objects.get(slug="strain")
    page = admin_client.get(admin_url(Cause, "change", cause.pk)).text
    pop = Symptom.objects.get(slug="pop-at-injury")
    assert f'<label for="id_symptom_weights__pop-at-injury">{pop.title}</label>' in page
    assert '<option value="2" selected>2: often</option>' in page
    assert "3: typical and telling" in page


@pytest.mark.django_db
def test_remedy_phases_cannot_also_be_avoided(imported, admin_client, admin_form_data, sign_off):
    remedy = Remedy.objects.get(slug="heat")
    data = admin_form_data(remedy, phases=["recovery"], avoid_phases=["recovery"])
    response = admin_client.post(admin_url(Remedy, "change", remedy.pk), data)
    assert response.status_code == 200
    assert "&#x27;avoid_phases&#x27; repeats recovery from &#x27;phases&#x27;" in response.text
    data = admin_form_data(
        remedy, phases=["recovery", "prevention"], avoid_phases=["first-72-hours"]
    )
    assert admin_client.post(admin_url(Remedy, "change", remedy.pk), data).status_code == 302
    sign_off(remedy)
    assert remedy.phases == ["recovery", "prevention"]


@pytest.mark.django_db
def test_publish_and_unpublish_actions(imported, admin_client, sign_off):
    # Publishing is a clinical change: each item waits for sign-off.
    url = admin_url(Article, "changelist")
    articles = list(Article.objects.all())
    pks = [article.pk for article in articles]
    admin_client.post(url, {"action": "unpublish", "_selected_action": pks})
    assert not Article.objects.filter(published=False).exists()
    for article in articles:
        sign_off(article)
    assert not Article.objects.filter(published=True).exists()
    admin_client.post(url, {"action": "publish", "_selected_action": pks})
    for article in articles:
        sign_off(article)
    assert not Article.objects.filter(published=False).exists()


@pytest.mark.django_db
def test_review_due_filter_lists_overdue_items(imported, admin_client):
    Article.objects.update(next_review="2020-01-01")
    response = admin_client.get(admin_url(Article, "changelist"), {"review": "due"})
    assert "First aid for a pulled hamstring" in response.text
    assert "Overdue" in response.text


@pytest.mark.django_db
def test_the_review_column_says_due_soon_as_the_dashboard_does(imported, admin_client):
    soon = timezone.localdate() + timedelta(days=10)
    Article.objects.update(next_review=soon)
    response = admin_client.get(admin_url(Article, "changelist"))
    assert Status.DUE_SOON.label in response.text
    assert "Up to date" not in response.text


@pytest.mark.django_db
def test_change_page_shows_the_preview_button_and_view_on_site(imported, admin_client):
    article = Article.objects.get(slug="first-aid")
    page = admin_client.get(admin_url(Article, "change", article.pk)).text
    preview = reverse("admin:advice_article_preview", args=[article.pk])
    assert f'formaction="{preview}"' in page and 'formtarget="live-preview"' in page
    assert '<iframe name="live-preview"' in page
    assert "View on site" in page


@pytest.mark.django_db
def test_sources_are_edited_as_one_citation_a_line(imported, admin_client, admin_form_data):
    page = Page.objects.get(slug="about")
    form_page = admin_client.get(admin_url(Page, "change", page.pk)).text
    shown = "Hamstring injury | NHS |  | https://www.nhs.uk/conditions/hamstring-injury/"
    assert shown in form_page  # title | publisher | (no year) | address
    lines = "Sprains and strains | NHS | 2024 | https://www.nhs.uk/conditions/sprains-and-strains/"
    response = admin_client.post(
        admin_url(Page, "change", page.pk), admin_form_data(page, sources=lines)
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.sources == [
        {
            "title": "Sprains and strains",
            "publisher": "NHS",
            "year": 2024,
            "url": "https://www.nhs.uk/conditions/sprains-and-strains/",
        }
    ]
    bad = admin_client.post(
        admin_url(Page, "change", page.pk), admin_form_data(page, sources="Just a title")
    )
    assert "write each source as Title | Publisher | Year | https://address" in bad.text
    odd_digit = admin_client.post(  # "²".isdigit() is true, but it is not a year
        admin_url(Page, "change", page.pk), admin_form_data(page, sources="A page | NHS | ²")
    )
    assert odd_digit.status_code == 200
    assert "errornote" in odd_digit.text


@pytest.mark.django_db
@pytest.mark.parametrize("draft", ["%C2%B2", "99999999999999999999999", "x"])
def test_an_add_page_with_an_impossible_draft_id_is_the_plain_add_form(
    imported, admin_client, draft
):
    response = admin_client.get(admin_url(Page, "add") + f"?draft={draft}")
    assert response.status_code == 200
    assert "title" not in response.context["adminform"].form.initial  # no draft filled in


@pytest.mark.django_db
def test_body_line_numbers_match_the_text_box_with_blank_lines_on_top(
    imported, admin_client, admin_form_data
):
    cause = Cause.objects.get(slug="strain")
    body = "\n\nIntro.\n\n# Too big\n\nSee [cold](/remedies/cold-water/)."
    response = admin_client.post(
        admin_url(Cause, "change", cause.pk), admin_form_data(cause, body=body)
    )
    assert response.status_code == 200
    assert "Line 5: use &#x27;##&#x27; for headings" in response.text
    assert "Line 7: link &#x27;/remedies/cold-water/&#x27;" in response.text


@pytest.mark.django_db
def test_markdown_help_and_full_care_card_labels(imported, admin_client):
    cause = Cause.objects.get(slug="strain")
    page = admin_client.get(admin_url(Cause, "change", cause.pk)).text
    assert "<code>## Heading</code>" in page and "line numbers of this box" in page
    assert "Care card: Call 999 or go to A&amp;E if:" in page


@pytest.mark.django_db
def test_view_only_staff_cannot_publish_or_unpublish(imported, client, django_user_model):
    viewer = django_user_model.objects.create_user("vic", password="a-long-test-password-9")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    url = admin_url(Article, "changelist")
    assert 'value="unpublish"' not in client.get(url).text
    article = Article.objects.first()
    client.post(url, {"action": "unpublish", "_selected_action": [article.pk]})
    assert not ContentDraft.objects.exists()
    article.refresh_from_db()
    assert article.published


@pytest.mark.django_db
def test_topics_are_reordered_in_their_form_not_in_the_list(imported, admin_client):
    # An editable list would save through a form that skips the content rules.
    page = admin_client.get(admin_url(Topic, "changelist")).text
    assert "form-0-order" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_a_new_item_of_every_kind_can_be_added(imported, admin_client, admin_form_data, model):
    # A copy of an existing item under a new slug: its relations (many-to-many
    # included) are read from the form, never from the unsaved item.
    original = model.objects.order_by("pk").first()
    data = admin_form_data(original, slug="added-in-the-admin")
    data.pop("edit_base", None)
    data["confirm_changes"] = "on"  # a copied cause moves the checker's rankings
    response = admin_client.post(admin_url(model, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting = ContentDraft.objects.filter(slug="added-in-the-admin", object_pk=None).exists()
    assert waiting or model.objects.filter(slug="added-in-the-admin").exists()
