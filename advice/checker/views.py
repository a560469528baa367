"""The symptom checker's views: question pages, one engine call, shown as a page or as JSON.

Nothing the person enters is stored or logged: the views read the query
string, run the pure engine over the published content and render the result.
Every response carries ``Cache-Control: no-store, private`` (``_private``).
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from advice.content.version import reads_one_version
from advice.web.canonical import absolute_url, site_scheme_and_host
from advice.web.page_cache import public_page

from . import appointment
from .data import checker_data, current_scorecard
from .engine import check
from .engine.result import DISCLAIMER, result_as_json
from .forms import CheckerForm
from .reading import in_reading_order
from .steps import PAIN, STEPS, Given, StepForm, check_rows

DESCRIPTION = (
    "Answer a few questions about pain in the back of your thigh: how soon to get care, "
    "what might be causing it and what can help."
)


def _params(request):
    """The query string, or None when it has more fields than Django will parse."""
    try:
        return request.GET
    except TooManyFieldsSent:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        return None


def _run(request):
    """(form, result) for the request's answers; result is None unless they are valid."""
    data = checker_data()
    params = _params(request)
    if params is None:
        form = CheckerForm.for_oversized_query(data.symptoms)
    else:
        form = CheckerForm(params or None, symptoms=data.symptoms)
    if not (form.is_bound and form.is_valid()):
        return form, None
    return form, in_reading_order(check(data, form.answers()))


def _private(response, *, has_answers=True):
    """A reader's answers are in the URL and the page: no browser or proxy may keep them.

    The start page carries no answers, but one storage rule for every checker
    response is easier to trust than a rule with an exception. Search engines
    may list the start page (it is in the sitemap), never a page with answers.
    """
    patch_cache_control(response, no_store=True, private=True)
    if has_answers:
        response["X-Robots-Tag"] = "noindex"
    # The page's URL carries the answers: keep it out of Referer headers when
    # the person follows a link.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _page(request, template, context, *, has_answers=True):
    context = {"disclaimer": DISCLAIMER, "meta_description": DESCRIPTION, **context}
    return _private(render(request, template, context), has_answers=has_answers)


@require_safe
@reads_one_version
def checker(request):
    """The start page; with answers, the result; with bad answers, the one-page form."""
    form, result = _run(request)
    if not form.is_bound:
        context = {
            "page_title": "Check your symptoms",
            "steps": STEPS,
            "first_step": STEPS[0],
            "indexable": True,  # no answers here: search engines may list it
        }
        return _page(request, "advice/checker/start.html", context, has_answers=False)
    if result is None:
        return _one_page_form(request, form, show_errors=True)
    given = Given.from_query(form.data, checker_data().symptoms)
    context = {
        "result": result,
        "given": given,
        "page_title": f"Your result: {result.care.title}",
    }
    return _page(request, "advice/checker/result.html", context)


@require_safe
@reads_one_version
def checker_all(request):
    """All the questions on one page (the fallback, and the form the API mirrors)."""
    data = checker_data()
    params = _params(request)
    form = CheckerForm(params or None, symptoms=data.symptoms)
    return _one_page_form(request, form, show_errors=False)


def _one_page_form(request, form, show_errors):
    errors = show_errors and bool(form.errors)
    context = {
        "form": form,
        "show_errors": errors,
        "error_links": [(message, f"#{anchor}") for message, anchor in form.error_links()],
        "page_title": "Error: symptom checker" if errors else "Symptom checker: all questions",
    }
    return _page(request, "advice/checker/all.html", context)


@require_safe
@reads_one_version
def checker_step(request, step):
    data = checker_data()
    params = _params(request)
    if params is None:
        form = StepForm.for_oversized_query(data.symptoms, step)
    else:
        form = StepForm(params or None, symptoms=data.symptoms, step=step)
    show_errors = form.is_bound and not form.is_valid()
    if form.is_bound and form.submitted and not show_errors:
        return _private(redirect(form.next_url()))
    title = form.step.title
    context = {
        "form": form,
        "step": form.step,
        "steps": STEPS,
        "given": form.given,
        "show_errors": show_errors,
        "page_title": f"Error: {title}" if show_errors else title,
    }
    return _page(request, f"advice/checker/step_{step}.html", context)


@require_safe
@reads_one_version
def checker_check(request):
    """Check your answers: each one with a link to change it, then the result."""
    data = checker_data()
    params = _params(request)
    given = Given.from_query(params or QueryDict(), data.symptoms)
    # Only the answers that are good on their own are shown and carried on.
    answers = QueryDict(mutable=True)
    for name, value in given.answer_pairs():
        answers.appendlist(name, value)
    context = {
        "given": given,
        "rows": check_rows(given),
        "ready": CheckerForm(answers, symptoms=data.symptoms).is_valid(),
        "back_url": given.step_url(STEPS[-1].slug),
        "pain_url": given.step_url(PAIN, change=True),
        "page_title": "Check your answers",
    }
    return _page(request, "advice/checker/check.html", context)


@require_safe
@reads_one_version
def checker_summary(request):
    """The result on one A4 page, for an appointment: answers, care, causes, a QR code."""
    form, result = _run(request)
    if result is None:
        return _one_page_form(request, form, show_errors=form.is_bound)
    data = checker_data()
    given = Given.from_query(form.data, data.symptoms)
    context = {
        "summary": appointment.summary(result, given, data),
        "given": given,
        "page_title": "Summary for your appointment",
    }
    return _page(request, "advice/checker/summary.html", context)


@require_safe
@reads_one_version
def checker_reminder(request):
    """An .ics reminder to check again in a few days, carrying the result's address."""
    form, result = _run(request)
    if result is None:
        response = HttpResponse(
            "These answers cannot be read. Go back to the symptom checker and try again.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
        return _private(response)
    given = Given.from_query(form.data, checker_data().symptoms)
    url = absolute_url(given.result_url())
    ics = appointment.reminder(url, result.care, domain=site_scheme_and_host()[1])
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="check-your-hamstring-again.ics"'
    return _private(response)


@public_page()
@require_safe
@reads_one_version
def how_it_works(request):
    """How the checker decides, what it cannot do, and its scorecard on today's content.

    The scorecard is computed from the published content and the vignettes,
    never typed; the page holds no reader's answers, so it may be cached.
    """
    context = {
        "page_title": "How the symptom checker works and how we test it",
        "meta_description": (
            "How our hamstring symptom checker decides how urgently to get care, what it "
            "cannot do, and how it scores on clinical test cases."
        ),
        "scorecard": current_scorecard(),
        "rules": checker_data().rules,
        "disclaimer": DISCLAIMER,
    }
    return render(request, "advice/checker_method.html", context)


@require_safe
@reads_one_version
def checker_api(request):
    form, result = _run(request)
    if result is None:
        errors = form.errors or {"symptom": [form.fields["symptom"].error_messages["required"]]}
        response = JsonResponse({"errors": {k: list(v) for k, v in errors.items()}}, status=400)
    else:
        response = JsonResponse(result_as_json(result))
    return _private(response)
