"""One page, two renderings: the whole page, or its named partial for htmx.

Both renderings come from the same URL, so every response says which request
headers chose between them (``Vary``), and the page cache keys on the
rendering those headers choose (``wants_partial``).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.utils.cache import patch_vary_headers
from jinja2_fragments import render_block

# A history restore (the back button after htmx pushed a URL) comes from htmx
# but needs the whole page, so it is a second header that picks the rendering.
HTMX_VARY = ("HX-Request", "HX-History-Restore-Request")


def wants_partial(request):
    """Read from the headers as django-htmx reads them ("true" or not), so the page
    cache, which runs before django-htmx's middleware, can use it too."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_partial(request, template, partial, context):
    """``template`` whole, or only its ``{% block partial %}`` for an htmx swap.

    The block is rendered by jinja2-fragments from the page's own template, with
    the request in its context as for the whole page.
    """
    if wants_partial(request):
        env = engines["jinja2"].env
        context = {**context, "request": request, "fragment": True}
        response = HttpResponse(render_block(env, template, partial, context))
    else:
        response = render(request, template, {**context, "fragment": False})
    patch_vary_headers(response, HTMX_VARY)
    return response
