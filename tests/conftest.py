import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin import site
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from advice.content.schema import KIND_ORDER, KINDS, kind_for_model
from advice.models import ContentDraft

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
# Every kind, in dependency order (derived, so a new kind is never left behind).
CONTENT_MODELS = [KINDS[name].model for name in KIND_ORDER]


@pytest.fixture
def no_page_cache(settings):
    """For tests about the views themselves: the full-page cache off, and empty."""
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture
def content_dir(tmp_path):
    """A writable copy of a small, valid content tree (one or two items of each kind)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def imported(db, content_dir):
    """The small tree, imported; returns its folder."""
    call_command("import_content", str(content_dir), verbosity=0)
    return content_dir


@pytest.fixture(scope="module")
def _real_content_in_database(django_db_setup, django_db_blocker):
    # Importing the whole library takes about a second: do it once per module,
    # outside the per-test transactions, and remove it when the module ends.
    with django_db_blocker.unblock():
        call_command("import_content", str(settings.CONTENT_DIR), verbosity=0)
    yield
    with django_db_blocker.unblock():
        for model in reversed(CONTENT_MODELS):
            model.objects.all().delete()


@pytest.fixture
def real_content(_real_content_in_database, db):
    """The site's real library from content/ (each test's changes are rolled back)."""


def database_snapshot():
    """Everything content-related in the database, to prove nothing changed."""
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
        for model in CONTENT_MODELS
    }


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("edna", password="a-long-test-password-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reviewer(db, django_user_model):
    """A member of the Clinical reviewers group: may approve clinical changes."""
    user = django_user_model.objects.create_user("rhea", password="a-long-test-password-3")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Clinical reviewers"))
    return user


@pytest.fixture
def sign_off(reviewer):
    """``sign_off(obj)``: the clinical reviewer approves, in the admin, the draft
    awaiting sign-off for saved item ``obj`` (or ``sign_off(Model, slug)`` for a new
    item), and ``obj`` is read again."""
    client = Client()
    client.force_login(reviewer)

    def approve(obj, slug=None):
        if slug is None:
            draft = ContentDraft.objects.get(kind=kind_for_model(type(obj)).name, object_pk=obj.pk)
        else:
            draft = ContentDraft.objects.get(kind=kind_for_model(obj).name, slug=slug)
        # As a reviewer does: read the review page, then approve what it showed.
        seen = client.get(reverse("admin:advice_contentdraft_change", args=[draft.pk]))
        response = client.post(
            reverse("admin:advice_contentdraft_approve", args=[draft.pk]),
            {"seen": seen.context["seen"]},
        )
        assert response.status_code == 302
        assert not ContentDraft.objects.filter(pk=draft.pk).exists(), "the draft was not approved"
        if slug is None:
            obj.refresh_from_db()
        return response

    return approve


# --- The admin ----------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:advice_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_form_data(admin_user):
    """``data(obj, **changes)``: the POST an editor sends saving ``obj``'s admin form as it is.

    Built from the admin's own form for the item, so a test changes only the
    fields it names, and every kind (with its widgets) is covered the same way.
    """

    def data(obj, **changes):
        model_admin = site._registry[type(obj)]
        request = RequestFactory().get("/")
        request.user = admin_user
        form = model_admin.get_form(request, obj)(instance=obj)
        posted = {}
        for name in form.fields:
            posted.update(_posted(name, form[name].value()))
        for name, value in changes.items():
            if isinstance(value, dict):  # symptom weights
                posted = {k: v for k, v in posted.items() if not k.startswith(f"{name}__")}
            posted.update(_posted(name, value))
        return {name: value for name, value in posted.items() if value is not None}

    return data


def _posted(name, value):
    if isinstance(value, bool):
        return {name: "on" if value else None}
    if isinstance(value, dict):
        return {f"{name}__{slug}": str(weight) for slug, weight in value.items()}
    if isinstance(value, datetime.date):
        return {name: value.isoformat()}
    if value is None:
        return {name: ""}
    return {name: value}
