"""Synonyms are content: validated with path:line messages, editable in the admin, exported."""

import pytest
from django.core.management import CommandError, call_command

from advice.content.exporter import export_content
from advice.models import Synonym
from advice.search import search
from tests.conftest import admin_url
from tests.factories import make_cause

pytestmark = pytest.mark.django_db


def write_synonym(root, text, name="bad"):
    path = root / "synonyms" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\nwords:\n  - a&e\nmeans:\n  - doctor\n---\n", 3, "must be a word or phrase"),
        ("---\nwords:\n  - physio\nmeans:\n  - physio\n---\n", 5, "listed more than once"),
        ("---\nwords:\n  - physio\n---\n", 2, "missing required key 'means'"),
        ("---\nwords: []\nmeans:\n  - x\n---\n", 2, "must list at least one entry"),
        ("---\nwords:\n  - physio\nmeans:\n  - physiotherapy\nsummary: x\n---\n", 6, "unknown key"),
        ("---\nwords:\n  - physio\nmeans:\n  - physiotherapy\n---\nText.\n", 7, "have no body"),
    ],
)
def test_a_bad_synonym_file_is_reported_with_its_line(content_dir, capsys, text, line, message):
    path = write_synonym(content_dir, text)
    with pytest.raises(CommandError):
        call_command("import_content", str(content_dir), verbosity=0)
    errors = capsys.readouterr().err
    assert f"{path}:{line}: " in errors and message in errors


def test_imported_synonyms_widen_search_and_export_unchanged(imported, tmp_path):
    assert Synonym.objects.get(slug="strain").means == "strain"
    urls = [hit.url for hit in search("pulled muscle").page.object_list]
    assert "/causes/strain/" in urls
    export_content(tmp_path)
    exported = (tmp_path / "synonyms" / "strain.md").read_text(encoding="utf-8")
    assert exported == (imported / "synonyms" / "strain.md").read_text(encoding="utf-8")


def test_editors_change_synonyms_in_the_admin_with_the_same_checks(client, editor):
    client.force_login(editor)
    make_cause("tendinopathy", title="Tendinopathy")
    url = admin_url(Synonym, "add")
    bad = client.post(url, {"slug": "tendon", "words": "tendon!itis", "means": "tendinopathy"})
    assert bad.status_code == 200 and "must be a word or phrase" in bad.content.decode()
    good = client.post(url, {"slug": "tendon", "words": "tendonitis", "means": "tendinopathy"})
    assert good.status_code == 302
    assert [hit.url for hit in search("tendonitis").page.object_list] == ["/causes/tendinopathy/"]
    assert client.get(admin_url(Synonym, "changelist")).status_code == 200
