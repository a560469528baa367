import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from advice.models import FAQ, Article, Cause, Page, Remedy, Symptom, Synonym, Topic

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
CONTENT_MODELS = [Topic, Synonym, Page, Symptom, Remedy, Cause, Article, FAQ]


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
