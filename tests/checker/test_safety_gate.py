"""The safety gate: no import or admin save may make a safety vignette less urgent."""

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from advice.checker.vignettes import VIGNETTES_PATH, GateReport, Outcome, load_vignettes
from advice.checker.vignettes import safety_gate as compare
from advice.models import Cause, Symptom, TriageRule
from tests.conftest import admin_url

pytestmark = pytest.mark.usefixtures("real_content")


@pytest.fixture
def real_content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_import_that_lowers_a_red_flag_is_refused_naming_the_vignettes(
    real_content_copy, capsys
):
    replace_in(
        real_content_copy / "symptoms" / "dark-urine-after-exercise.md",
        "care_level: emergency",
        "care_level: self-care",
    )
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_content", str(real_content_copy), verbosity=0)
    errors = capsys.readouterr().err
    assert f"{VIGNETTES_PATH}:" in errors
    assert "would get self-care instead of emergency" in errors
    assert Symptom.objects.get(slug="dark-urine-after-exercise").care_level == "emergency"


def test_an_import_that_only_changes_rankings_goes_through_and_says_so(real_content_copy, capsys):
    replace_in(
        real_content_copy / "causes" / "tight-hamstrings.md", "  tightness: 3", "  tightness: 1"
    )
    call_command("import_content", str(real_content_copy))
    output = capsys.readouterr().out
    assert "The checker's answers change for these clinical vignettes" in output
    assert "tight-hamstrings" in output


def test_an_admin_edit_that_lowers_a_red_flag_is_refused(admin_client, admin_form_data):
    symptom = Symptom.objects.get(slug="both-legs-numb-or-weak")
    response = admin_client.post(
        admin_url(Symptom, "change", symptom.pk), admin_form_data(symptom, care_level="self-care")
    )
    assert response.status_code == 200
    assert "This change is refused: safety vignette" in response.text
    symptom.refresh_from_db()
    assert symptom.care_level == "emergency"


def test_an_admin_edit_that_unpublishes_a_safety_rule_is_refused(admin_client, admin_form_data):
    rule = TriageRule.objects.get(slug="one-sided-swelling-without-injury")
    response = admin_client.post(
        admin_url(TriageRule, "change", rule.pk), admin_form_data(rule, published=False)
    )
    assert response.status_code == 200
    assert "This change is refused" in response.text
    rule.refresh_from_db()
    assert rule.published


def test_an_admin_edit_that_changes_rankings_needs_confirming(
    admin_client, admin_form_data, sign_off
):
    cause = Cause.objects.get(slug="tight-hamstrings")
    data = admin_form_data(cause, symptom_weights={"tightness": 1})
    url = admin_url(Cause, "change", cause.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "This change alters the symptom checker&#x27;s answers" in response.text
    assert cause.symptom_links.get(symptom__slug="tightness").weight == 3
    data["confirm_changes"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert cause.symptom_links.get(symptom__slug="tightness").weight == 3  # until signed off
    sign_off(cause)  # the gate runs again, and the change only moves rankings
    assert cause.symptom_links.get(symptom__slug="tightness").weight == 1


def test_a_lowered_level_that_is_still_safe_is_not_a_refusal():
    vignette = next(v for v in load_vignettes() if v.care == "urgent" and v.safety_critical)
    before = Outcome(vignette, "emergency", ())
    after = Outcome(vignette, "urgent", ())
    assert compare_one(before, after).less_safe == ()
    assert compare_one(before, Outcome(vignette, "soon", ())).less_safe != ()


def compare_one(before, after):
    """The gate on one vignette's outcome before and after (None: not asked after)."""
    from advice.checker.vignettes import Scorecard

    return compare(Scorecard((before,)), Scorecard((after,) if after else ()))


def test_gate_report_messages_name_the_case():
    vignette = load_vignettes()[0]
    report = GateReport(((Outcome(vignette, "emergency", ()), Outcome(vignette, "soon", ())),), ())
    assert vignette.id in report.refusals()[0][1]
    assert vignette.case in report.refusals()[0][1]


def test_a_safety_vignette_that_could_no_longer_be_asked_is_a_refusal():
    vignette = next(v for v in load_vignettes() if v.safety_critical)
    report = compare_one(Outcome(vignette, vignette.care, ()), None)
    assert report.unanswerable and vignette.id in report.refusals()[0][1]
    assert "could no longer be answered" in report.refusals()[0][1]


def test_an_admin_edit_that_unpublishes_a_red_flag_symptom_is_refused(
    admin_client, admin_form_data
):
    symptom = Symptom.objects.get(slug="saddle-numbness-or-bladder-changes")
    response = admin_client.post(
        admin_url(Symptom, "change", symptom.pk), admin_form_data(symptom, published=False)
    )
    assert response.status_code == 200
    assert "could no longer be answered" in response.text
    symptom.refresh_from_db()
    assert symptom.published


def test_deleting_a_red_flag_symptom_in_the_admin_is_refused(admin_client):
    symptom = Symptom.objects.get(slug="saddle-numbness-or-bladder-changes")
    url = admin_url(Symptom, "delete", symptom.pk)
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "cannot be deleted" in response.text
    assert "could no longer be answered" in response.text
    assert Symptom.objects.filter(slug="saddle-numbness-or-bladder-changes").exists()
