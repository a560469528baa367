"""One page, two renderings: the whole page, or its named partial for htmx.

Both renderings come from the same URL, so every response says which request
headers chose between them (``Vary``), and the page cache keys on the
rendering those headers choose (``wants_partial``).
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

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
    """``template`` whole, or its ``{% partialdef partial %}`` for an htmx swap."""
    partial_request = wants_partial(request)
    name = f"{template}#{partial}" if partial_request else template
    response = render(request, name, {**context, "fragment": partial_request})
    patch_vary_headers(response, HTMX_VARY)
    return response
