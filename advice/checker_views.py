"""The symptom checker's views: one engine call, shown as a page or as JSON.

Nothing the person enters is stored or logged: the views read the query
string, run the pure engine over the published content and render the result.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from .checker import DISCLAIMER, appointment_summary, check, result_as_json
from .checker_data import checker_data
from .checker_forms import CheckerForm

DESCRIPTION = (
    "Answer a few questions about pain in the back of your thigh: how soon to get care, "
    "what might be causing it and what can help."
)


def _title(form, result):
    if form.errors:
        return "Error: symptom checker"
    if result:
        return f"Your result: {result.care.title.lower()}"
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


@require_GET
def checker(request):
    form, result = _run(request)
    # A history restore (back button) needs the whole page, as a normal load does.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "form": form,
        "result": result,
        "summary": appointment_summary(result) if result else "",
        "disclaimer": DISCLAIMER,
        "is_partial": partial,
        "page_title": _title(form, result),
        "meta_description": DESCRIPTION,
    }
    template = "advice/checker.html#result" if partial else "advice/checker.html"
    response = render(request, template, context)
    # The page's URL carries the answers: keep it out of Referer headers when
    # the person follows a link (including after htmx has pushed it).
    response["Referrer-Policy"] = "no-referrer"
    if form.is_bound:
        response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_GET
def checker_api(request):
    form, result = _run(request)
    if result is None:
        errors = form.errors or {"symptom": [form.fields["symptom"].error_messages["required"]]}
        response = JsonResponse({"errors": {k: list(v) for k, v in errors.items()}}, status=400)
    else:
        response = JsonResponse(result_as_json(result))
    response["X-Robots-Tag"] = "noindex"
    return response
