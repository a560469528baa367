"""The symptom checker's views: one engine call, shown as a page or as JSON.

Nothing the person enters is stored or logged: the views read the query
string, run the pure engine over the published content and render the result.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from advice.web.htmx import render_page_or_partial
from advice.web.page_cache import public_page

from .data import checker_data, current_scorecard
from .engine import DISCLAIMER, appointment_summary, check, result_as_json
from .forms import CheckerForm

DESCRIPTION = (
    "Answer a few questions about pain in the back of your thigh: how soon to get care, "
    "what might be causing it and what can help."
)


def _title(form, result):
    if form.errors:
        return "Error: symptom checker"
    if result:
        return f"Your result: {result.care.title}"
    return "Symptom checker"


def _run(request):
    """(form, result) for the request's answers; result is None unless they are valid."""
    data = checker_data()
    try:
        params = request.GET
    except TooManyFieldsSent:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        form = CheckerForm.for_oversized_query(data.symptoms)
    else:
        form = CheckerForm(params or None, symptoms=data.symptoms)
    result = check(data, form.answers()) if form.is_bound and form.is_valid() else None
    return form, result


def _private(response, *, has_answers=True):
    """A reader's answers are in the URL and the page: no browser or proxy may keep them.

    The blank form carries no answers, but one storage rule for every checker
    response is easier to trust than a rule with an exception. Search engines
    may list the blank form (it is in the sitemap), never a result.
    """
    patch_cache_control(response, no_store=True, private=True)
    if has_answers:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def checker(request):
    form, result = _run(request)
    context = {
        "form": form,
        "result": result,
        "summary": appointment_summary(result) if result else "",
        "disclaimer": DISCLAIMER,
        "page_title": _title(form, result),
        "meta_description": DESCRIPTION,
    }
    response = render_page_or_partial(request, "advice/checker.html", "result", context)
    # The page's URL carries the answers: keep it out of Referer headers when
    # the person follows a link (including after htmx has pushed it).
    response["Referrer-Policy"] = "no-referrer"
    return _private(response, has_answers=form.is_bound)


@public_page()
@require_safe
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
def checker_api(request):
    form, result = _run(request)
    if result is None:
        errors = form.errors or {"symptom": [form.fields["symptom"].error_messages["required"]]}
        response = JsonResponse({"errors": {k: list(v) for k, v in errors.items()}}, status=400)
    else:
        response = JsonResponse(result_as_json(result))
    return _private(response)
