"""One validation path: what the admin saves exports to files that import cleanly,
and what the import would refuse the admin refuses, with the same message."""

import pytest
from django.core.management import call_command

from advice.content.schema import KIND_ORDER, KINDS, kind_for_model
from advice.models import FAQ, Cause, Page, Remedy, RunningStage
from tests.conftest import admin_url, database_snapshot

# Every kind, derived, so a new kind is walked through the admin too.
MODELS = [KINDS[name].model for name in KIND_ORDER]


def content_snapshot():
    """The database's content, without the import's own bookkeeping (the hash it
    records when a file catches up with an admin edit)."""
    return {
        model: [tuple(pair for pair in row if pair[0] != "imported_hash") for row in rows]
        for model, rows in database_snapshot().items()
    }


def export_then_import(folder, capsys):
    """Export to ``folder``, import it back; return the import's output."""
    call_command("export_content", str(folder), verbosity=0)
    capsys.readouterr()
    call_command("import_content", str(folder))
    return capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_an_admin_edit_exports_and_imports_back_unchanged(
    imported, admin_client, admin_form_data, model, capsys, sign_off
):
    obj = model.objects.order_by("pk").first()
    kind = kind_for_model(model)
    key = next(key for key in kind.keys if key.type in ("text", "text_list") and key.required)
    edited = "edited in the admin"
    joiner = " " if key.type == "text" else "\n"  # a list is one entry a line in the admin
    data = admin_form_data(obj, **{key.name: f"{getattr(obj, key.name)}{joiner}{edited}"})
    response = admin_client.post(admin_url(model, "change", obj.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    if key.name in kind.clinical_keys:  # every key of a triage rule
        sign_off(obj)
    before = content_snapshot()

    output = export_then_import(imported, capsys)

    assert "created 0, updated 0" in output and "removed 0" in output
    assert content_snapshot() == before
    assert edited in (imported / kind.name / f"{obj.slug}.md").read_text()


@pytest.mark.django_db
def test_a_cause_without_symptoms_or_care_cards_is_refused_like_the_import(
    imported, admin_client, admin_form_data
):
    cause = Cause.objects.get(slug="strain")
    data = admin_form_data(cause, care_non_urgent="", care_urgent="", care_emergency="")
    data = {k: v for k, v in data.items() if not k.startswith("symptom_weights__")}
    response = admin_client.post(admin_url(Cause, "change", cause.pk), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["symptom_weights"] == [
        "'symptoms' must map symptom slugs to weights 1 to 3, e.g. 'sudden-onset: 3'"
    ]
    assert form.non_field_errors() == [
        "Care: 'care' must map one or more of non-urgent, urgent, emergency to lists of text"
    ]
    assert cause.symptom_links.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Lactic_Acid", "lactic acid", "-lactic", "x" * 101])
def test_a_slug_the_import_would_refuse_is_refused(imported, admin_client, admin_form_data, slug):
    faq = FAQ.objects.get(slug="how-long")
    count = FAQ.objects.count()
    response = admin_client.post(admin_url(FAQ, "add"), admin_form_data(faq, slug=slug))
    assert response.status_code == 200
    assert FAQ.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["library", "causes", "faq", "search", "checker", "api", "admin", "static", "healthz"]
)
def test_a_page_cannot_take_the_name_of_a_route(imported, admin_client, admin_form_data, slug):
    page = Page.objects.get(slug="about")
    response = admin_client.post(admin_url(Page, "add"), admin_form_data(page, slug=slug))
    assert response.status_code == 200
    assert f"a page cannot be called &#x27;{slug}&#x27;" in response.text
    assert not Page.objects.filter(slug=slug).exists()


def test_the_import_refuses_a_page_named_like_a_route(content_dir, capsys):
    (content_dir / "pages" / "about.md").rename(content_dir / "pages" / "search.md")
    with pytest.raises(Exception, match="problem"):
        call_command("import_content", str(content_dir), verbosity=0)
    assert "search.md:1: a page cannot be called 'search'" in capsys.readouterr().err


@pytest.mark.django_db
def test_an_existing_items_slug_cannot_be_changed_in_the_admin(
    imported, admin_client, admin_form_data
):
    # The import and export match files to items by slug: a rename here would
    # leave the old file to bring the old item back on the next import.
    page = Page.objects.get(slug="about")
    url = admin_url(Page, "change", page.pk)
    form = admin_client.get(url).context["adminform"].form
    assert "slug" not in form.fields
    response = admin_client.post(url, admin_form_data(page, slug="who-we-are"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.slug == "about"
    assert not Page.objects.filter(slug="who-we-are").exists()


@pytest.mark.django_db
def test_unpublishing_a_linked_item_is_refused(imported, admin_client, admin_form_data):
    remedy = Remedy.objects.get(slug="ice")  # the strain page links to /remedies/ice/
    response = admin_client.post(
        admin_url(Remedy, "change", remedy.pk), admin_form_data(remedy, published=False)
    )
    assert response.status_code == 200
    assert "(strain) links to /remedies/ice/" in response.text
    remedy.refresh_from_db()
    assert remedy.published


@pytest.mark.django_db
def test_the_unpublish_action_skips_linked_items_and_says_why(imported, admin_client):
    remedy = Remedy.objects.get(slug="ice")
    response = admin_client.post(
        admin_url(Remedy, "changelist"),
        {"action": "unpublish", "_selected_action": [remedy.pk]},
        follow=True,
    )
    assert "was not changed" in response.text and "/remedies/ice/" in response.text
    remedy.refresh_from_db()
    assert remedy.published


@pytest.mark.django_db
def test_deleting_a_linked_item_is_refused(imported, admin_client):
    remedy = Remedy.objects.get(slug="ice")
    response = admin_client.post(
        admin_url(Remedy, "delete", remedy.pk), {"post": "yes"}, follow=True
    )
    assert "cannot be deleted while other pages link to it" in response.text
    assert Remedy.objects.filter(slug="ice").exists()


@pytest.mark.django_db
def test_deleting_an_unlinked_item_works(imported, admin_client):
    remedy = Remedy.objects.get(slug="heat")
    assert not any("/remedies/heat" in c.body for c in Cause.objects.all())
    admin_client.post(admin_url(Remedy, "delete", remedy.pk), {"post": "yes"})
    assert not Remedy.objects.filter(slug="heat").exists()


@pytest.mark.django_db
def test_a_running_stage_edited_as_lines_saves_checks_and_exercises(
    imported, admin_client, admin_form_data, sign_off
):
    stage = RunningStage.objects.get()
    data = admin_form_data(
        stage,
        checks="walk | you can walk without pain\nhop | you can hop on the spot",
        exercises="ice | 2 | 10 minutes | Less often as it settles.",
    )
    response = admin_client.post(admin_url(RunningStage, "change", stage.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    sign_off(stage)  # checks and exercises are clinical
    assert stage.checks[1] == {"id": "hop", "text": "you can hop on the spot"}
    assert stage.exercises == [
        {"remedy": "ice", "sets": 2, "reps": "10 minutes", "progress": "Less often as it settles."}
    ]


@pytest.mark.django_db
def test_a_running_stage_naming_an_unknown_remedy_is_refused_like_the_import(
    imported, admin_client, admin_form_data
):
    stage = RunningStage.objects.get()
    data = admin_form_data(stage, exercises="no-such-remedy | 2 | 10 | More.")
    response = admin_client.post(admin_url(RunningStage, "change", stage.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "refers to unknown remedy" in str(errors), errors
