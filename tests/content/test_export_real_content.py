"""Exporting the real library: an unchanged database changes no file."""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from advice.models import Cause


@pytest.mark.django_db
def test_exporting_an_unchanged_database_changes_no_file(real_content, tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, folder)
    before = {path: path.read_bytes() for path in folder.rglob("*.md")}
    call_command("export_content", str(folder), verbosity=0)
    assert {path: path.read_bytes() for path in folder.rglob("*.md")} == before


@pytest.mark.django_db
def test_exporting_after_an_edit_changes_that_file_only(real_content, tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, folder)
    before = {path: path.read_bytes() for path in folder.rglob("*.md")}
    cause = Cause.objects.order_by("slug").first()
    cause.summary = "An edited summary."
    cause.save()
    call_command("export_content", str(folder), verbosity=0)
    after = {path: path.read_bytes() for path in folder.rglob("*.md")}
    assert [path.name for path in before if before[path] != after[path]] == [f"{cause.slug}.md"]
