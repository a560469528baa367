"""import_content: validation with path:line messages, idempotence, dry run, prune, edits."""

import pytest
from django.core.management import CommandError, call_command

from advice.models import FAQ, Article, Cause, CauseSymptom, Remedy, Symptom
from tests.conftest import database_snapshot


def run_import(path, *options):
    call_command("import_content", str(path), *options, verbosity=0)


def import_output(path, *options, capsys):
    call_command("import_content", str(path), *options)
    return capsys.readouterr().out


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (file, old text, new text, line reported, words in the message)
BAD_FILES = [
    ("causes/strain.md", "recovery_time:", "recovery_tme:", 6, "unknown key 'recovery_tme'"),
    (
        "causes/strain.md",
        "recovery_time: Days to weeks.\n",
        "",
        2,
        "missing required key 'recovery_time'",
    ),
    (
        "articles/first-aid.md",
        "featured: true",
        "featured: often",
        9,
        "'featured' must be true or false",
    ),
    ("faqs/how-long.md", "order: 1", "order: first", 5, "'order' must be a whole number"),
    (
        "causes/strain.md",
        "last_reviewed: 2026-11-01",
        "last_reviewed: 2026-02-30",
        18,
        "is not a real date",
    ),
    (
        "causes/strain.md",
        "last_reviewed: 2026-11-01",
        "last_reviewed: 1st November",
        18,
        "must be a date written YYYY-MM-DD",
    ),
    ("causes/strain.md", "next_review: 2027-05-01", "next_review: 2028-05-01", 19, "within a year"),
    (
        "causes/strain.md",
        "next_review: 2027-05-01",
        "next_review: 2026-10-01",
        19,
        "must be after 'last_reviewed'",
    ),
    ("causes/strain.md", "  - ice\n", "  - cold-water\n", 11, "unknown remedy 'cold-water'"),
    ("articles/first-aid.md", "topic: strains", "topic: sprains", 4, "unknown topic 'sprains'"),
    (
        "causes/strain.md",
        "pop-at-injury: 2",
        "pop-on-injury: 2",
        9,
        "unknown symptom 'pop-on-injury'",
    ),
    ("causes/strain.md", "pop-at-injury: 2", "pop-at-injury: 4", 9, "must be 1, 2 or 3"),
    ("causes/strain.md", "pop-at-injury: 2", "pop-at-injury: 0", 9, "must be 1, 2 or 3"),
    (
        "causes/strain.md",
        "Use [ice](/remedies/ice/)",
        "Use [ice](/remedies/cold/)",
        32,
        "points to remedies 'cold', which does not exist",
    ),
    (
        "articles/first-aid.md",
        "[about us](/about/)",
        "[about us](/team/)",
        28,
        "points to pages 'team'",
    ),
    (
        "faqs/how-long.md",
        "It depends on the grade; see [strains](/causes/strain/).",
        "",
        21,
        "body is empty",
    ),
    ("causes/strain.md", "summary: A stretched", "summary: [A stretched", 4, "broken YAML"),
    ("remedies/heat.md", "kind: self-care", "kind: magic", 4, "must be one of self-care"),
    (
        "remedies/heat.md",
        "avoid_phases:\n  - first-72-hours",
        "avoid_phases:\n  - recovery",
        7,
        "repeats recovery",
    ),
    (
        "symptoms/pop-at-injury.md",
        "care_level: urgent",
        "care_level: very",
        6,
        "'care_level' must be one of",
    ),
    ("causes/strain.md", "## What it is", "# What it is", 30, "use '##' for headings"),
    (
        "causes/strain.md",
        "title: Hamstring strain\n",
        "title: Hamstring strain\ntitle: Again\n",
        3,
        "duplicate key 'title'",
    ),
    (
        "remedies/heat.md",
        "cautions:",
        "illustration: img/no-such-drawing.svg\nillustration_alt: A drawing.\ncautions:",
        9,
        "'illustration' must name a drawing under static/",
    ),
    (
        "remedies/heat.md",
        "cautions:",
        "illustration: img/logo.svg\ncautions:",
        2,
        "'illustration_alt' must say what the drawing shows",
    ),
    (
        "remedies/heat.md",
        "    url: https://www.nhs.uk/conditions/hamstring-injury/\n",
        "",
        15,
        "needs at least one source with a 'url'",
    ),
    (
        "remedies/heat.md",
        "    url: https://www.nhs.uk/conditions/hamstring-injury/",
        "    url: javascript:alert(1)",
        16,
        "'url' must be a full https:// address",
    ),
    ("remedies/heat.md", "publisher: NHS", "publisher:", 16, "source 1 needs a 'publisher'"),
    ("faqs/how-long.md", "order: 1", "order: 99999999999999999999", 5, "from 0 to 32767"),
    (
        "running-stages/first-steps.md",
        "  - id: stairs",
        "  - id: walk",
        10,
        "check 2: 'id' 'walk' is used twice in this stage",
    ),
    (
        "running-stages/first-steps.md",
        "    sets: 1",
        "    sets: 40",
        13,
        "exercise 1: 'sets' must be a whole number from 1 to 10",
    ),
    (
        "running-stages/first-steps.md",
        "  - remedy: ice",
        "  - remedy: nothing-like-it",
        13,
        "'exercises' refers to unknown remedy 'nothing-like-it'",
    ),
    (
        "running-stages/first-steps.md",
        "exercises:",
        "exercises:\n  - remedy: ice\n    sets: 2\n    reps: 5\n",
        13,
        "exercise 1 needs a 'progress'",
    ),
    (
        "remedies/ice.md",
        "action: Wrap an ice pack in a towel and hold it on the sore area for 20 minutes.",
        "action: wrap ice. Then rest",
        5,
        "'action' must be one sentence",
    ),
    ("faqs/how-long.md", "title: ", "title: " + "Long " * 60, 2, "at most 200 characters"),
]


@pytest.mark.django_db
def test_an_exercise_drawing_is_shown_with_its_description(imported, client):
    replace_in(
        imported / "remedies" / "heat.md",
        "cautions:",
        "illustration: img/logo.svg\nillustration_alt: The site's logo.\ncautions:",
    )
    run_import(imported)
    page = client.get("/remedies/heat/").text
    assert '<img src="/static/img/logo.svg" alt="The site&#39;s logo." width="320"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "old", "new", "line", "message"), BAD_FILES, ids=[case[4] for case in BAD_FILES]
)
def test_bad_file_is_reported_with_path_and_line_and_changes_nothing(
    imported, capsys, name, old, new, line, message
):
    before = database_snapshot()
    path = imported / name
    replace_in(path, old, new)
    capsys.readouterr()

    with pytest.raises(CommandError, match="nothing was changed"):
        run_import(imported)

    errors = capsys.readouterr().err
    assert f"{path}:{line}: " in errors
    assert message in errors
    assert database_snapshot() == before


@pytest.mark.django_db
def test_non_utf8_file_is_reported(content_dir, capsys):
    path = content_dir / "faqs" / "how-long.md"
    path.write_bytes(path.read_bytes().replace(b"heal?", b"heal\xe9?"))
    with pytest.raises(CommandError):
        run_import(content_dir)
    assert f"{path}:2: file is not UTF-8" in capsys.readouterr().err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_duplicate_slug_in_a_subfolder_is_reported(content_dir, capsys):
    (content_dir / "remedies" / "old").mkdir()
    copy = content_dir / "remedies" / "old" / "ice.md"
    copy.write_text((content_dir / "remedies" / "ice.md").read_text())
    with pytest.raises(CommandError):
        run_import(content_dir)
    assert f"{copy}:1: duplicate slug 'ice'" in capsys.readouterr().err


@pytest.mark.django_db
def test_all_problems_are_reported_in_one_run(content_dir, capsys):
    replace_in(content_dir / "causes" / "strain.md", "recovery_time:", "recovery:")
    replace_in(content_dir / "faqs" / "how-long.md", "order: 1", "order: -1")
    with pytest.raises(CommandError, match="3 problem"):
        run_import(content_dir)
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3  # unknown key, missing key, bad order


@pytest.mark.django_db
def test_import_creates_items_with_relations_and_rendered_html(imported):
    strain = Cause.objects.get(slug="strain")
    assert {link.symptom.slug: link.weight for link in strain.symptom_links.all()} == {
        "sudden-onset": 3,
        "pop-at-injury": 2,
    }
    assert set(strain.remedies.values_list("slug", flat=True)) == {"ice", "heat"}
    assert [(card.card_key, conditions) for card, conditions in strain.care_cards()] == [
        ("non-urgent", ["It is not better after two weeks."]),
        ("urgent", ["You cannot walk."]),
    ]
    assert '<h2 id="what-it-is">What it is</h2>' in strain.body_html
    assert Remedy.objects.get(slug="heat").avoid_phases == ["first-72-hours"]
    assert Symptom.objects.get(slug="pop-at-injury").care_level == "urgent"


@pytest.mark.django_db
def test_second_import_reports_everything_unchanged_and_writes_nothing(
    imported, capsys, django_assert_max_num_queries
):
    capsys.readouterr()
    before = {a.slug: a.updated_at for a in Article.objects.all()}
    call_command("import_content", str(imported))
    assert "created 0, updated 0, unchanged 13, removed 0." in capsys.readouterr().out
    assert {a.slug: a.updated_at for a in Article.objects.all()} == before


@pytest.mark.django_db
def test_changed_file_is_updated(imported, capsys):
    replace_in(imported / "causes" / "strain.md", "pop-at-injury: 2", "pop-at-injury: 3")
    out = import_output(imported, capsys=capsys)
    assert "created 0, updated 1, unchanged 12" in out
    assert CauseSymptom.objects.get(cause__slug="strain", symptom__slug="pop-at-injury").weight == 3


@pytest.mark.django_db
def test_dry_run_reports_but_changes_nothing(imported, capsys):
    replace_in(imported / "causes" / "strain.md", "Days to weeks.", "Three weeks.")
    (imported / "faqs" / "is-it-serious.md").unlink()
    before = database_snapshot()
    out = import_output(imported, "--dry-run", "--prune", capsys=capsys)
    assert "Dry run, nothing changed" in out
    assert "updated 1" in out and "removed 1" in out
    assert database_snapshot() == before


@pytest.mark.django_db
def test_missing_file_is_listed_not_removed_without_prune(imported, capsys):
    (imported / "faqs" / "is-it-serious.md").unlink()
    out = import_output(imported, capsys=capsys)
    assert "not in the content folder" in out and "faqs/is-it-serious" in out
    assert FAQ.objects.filter(slug="is-it-serious").exists()


@pytest.mark.django_db
def test_prune_removes_items_whose_file_is_gone(imported, capsys):
    (imported / "faqs" / "is-it-serious.md").unlink()
    out = import_output(imported, "--prune", capsys=capsys)
    assert "removed 1." in out
    assert not FAQ.objects.filter(slug="is-it-serious").exists()


@pytest.mark.django_db
def test_admin_edit_is_kept_and_listed_unless_forced(imported, capsys):
    strain = Cause.objects.get(slug="strain")
    strain.recovery_time = "Edited in the admin."
    strain.save()
    replace_in(imported / "causes" / "strain.md", "Days to weeks.", "Changed in the file.")

    out = import_output(imported, capsys=capsys)
    assert "Kept changes made in the admin" in out and "causes/strain" in out
    assert Cause.objects.get(slug="strain").recovery_time == "Edited in the admin."

    out = import_output(imported, "--force", capsys=capsys)
    assert "Overwrote changes made in the admin" in out
    assert Cause.objects.get(slug="strain").recovery_time == "Changed in the file."


@pytest.mark.django_db
def test_prune_keeps_an_item_created_in_the_admin(imported, capsys):
    Cause.objects.create(
        slug="new-cause",
        title="New",
        summary="New.",
        body="Text.",
        recovery_time="Soon.",
        last_reviewed="2026-11-01",
        next_review="2027-01-01",
        owner="Editorial team",
        clinical_reviewer="Editorial team",
        sources="Editor",
    )
    out = import_output(imported, "--prune", capsys=capsys)
    assert "causes/new-cause" in out and "removed 0." in out
    assert Cause.objects.filter(slug="new-cause").exists()


@pytest.mark.django_db
def test_export_then_import_changes_nothing(imported, tmp_path, capsys):
    exported = tmp_path / "exported"
    call_command("export_content", str(exported), verbosity=0)
    before = database_snapshot()
    out = import_output(exported, capsys=capsys)
    assert "created 0, updated 0, unchanged 13, removed 0." in out
    assert database_snapshot() == before


@pytest.mark.django_db
def test_export_writes_admin_edits_so_they_can_be_committed(imported, capsys):
    strain = Cause.objects.get(slug="strain")
    strain.recovery_time = "About three weeks."
    strain.save()
    call_command("export_content", str(imported), verbosity=0)
    assert "recovery_time: About three weeks." in (imported / "causes" / "strain.md").read_text()

    # The committed export now matches the database; a later file change imports normally.
    out = import_output(imported, capsys=capsys)
    assert "unchanged 13" in out
    replace_in(imported / "causes" / "strain.md", "About three weeks.", "Two to four weeks.")
    out = import_output(imported, capsys=capsys)
    assert "updated 1" in out and "Kept changes" not in out


@pytest.mark.django_db
def test_export_reproduces_the_source_files(imported, tmp_path):
    exported = tmp_path / "exported"
    call_command("export_content", str(exported), verbosity=0)
    for name in ("causes/strain.md", "remedies/heat.md", "topics/strains.md"):
        original = (imported / name).read_text().split("---\n", 2)
        again = (exported / name).read_text().split("---\n", 2)
        assert again[2].strip() == original[2].strip()
        assert set(_keys(again[1])) == set(_keys(original[1]))


def _keys(front_matter):
    return [
        line.split(":")[0]
        for line in front_matter.splitlines()
        if line and not line.startswith(" ")
    ]
