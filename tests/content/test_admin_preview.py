"""The admin's live preview: the public page with unsaved changes, saving nothing."""

import pytest
from django.urls import reverse
from reversion.models import Version

from advice.models import Cause, ContentVersion, Page
from tests.conftest import admin_url, database_snapshot


def preview_url(obj):
    return reverse(f"admin:advice_{obj._meta.model_name}_preview", args=[obj.pk])


@pytest.fixture
def strain(imported):
    return Cause.objects.get(slug="strain")


@pytest.mark.django_db
def test_preview_shows_the_public_page_with_the_unsaved_edit(
    strain, client, editor, admin_form_data
):
    client.force_login(editor)
    before = database_snapshot()
    versions = Version.objects.count()
    content_version = list(ContentVersion.objects.values_list("version", flat=True))
    data = admin_form_data(
        strain,
        summary="A brand new summary.",
        body="## Fresh heading\n\nNew words <script>alert(1)</script>.",
        care_emergency="The leg is cold and pale",
    )
    response = client.post(preview_url(strain), data)
    page = response.text
    assert response.status_code == 200
    # The public template and stylesheet, not the admin's.
    assert "css/site" in page and "admin/css" not in page
    assert "<h1>Hamstring strain</h1>" in page
    assert "A brand new summary." in page
    assert '<h2 id="fresh-heading">Fresh heading</h2>' in page and "<script>alert" not in page
    assert "The leg is cold and pale" in page and "care-card--" in page
    assert "Preview of your unsaved changes" in page
    # Nothing was saved, recorded or retired.
    assert database_snapshot() == before
    assert Version.objects.count() == versions
    assert list(ContentVersion.objects.values_list("version", flat=True)) == content_version


@pytest.mark.django_db
def test_preview_may_be_framed_by_the_admin_only(strain, admin_client, admin_form_data):
    response = admin_client.post(preview_url(strain), admin_form_data(strain))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "unsafe-inline" not in policy
    # Every other page still refuses to be framed.
    page = admin_client.get(admin_url(Cause, "change", strain.pk))
    assert page["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_preview_is_post_only_and_for_staff(strain, client, admin_client):
    assert admin_client.get(preview_url(strain)).status_code == 405
    response = client.post(preview_url(strain), {"body": "x"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_hostile_preview_input_is_a_400_not_a_500(strain, admin_client, admin_form_data):
    huge = admin_form_data(strain, body="word " * 50_000)
    assert admin_client.post(preview_url(strain), huge).status_code == 400
    card = admin_form_data(strain, care_urgent="Pain | if severity_at_least: " + "9" * 5000)
    assert admin_client.post(preview_url(strain), card).status_code == 200


@pytest.mark.django_db
def test_a_site_page_previews_too_and_a_new_item_asks_to_be_saved_first(imported, admin_client):
    about = Page.objects.get(slug="about")
    response = admin_client.post(preview_url(about), {"title": "About us, changed"})
    assert "<h1>About us, changed</h1>" in response.text
    assert "Save the item once" in admin_client.get(admin_url(Page, "add")).text
