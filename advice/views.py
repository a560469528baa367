"""Public pages. (Being built in the public-site issue.)"""

from django.http import HttpResponse


def _unbuilt(request, *args, **kwargs):
    return HttpResponse("Coming in the public-site issue.", content_type="text/plain")


home = library = article_detail = cause_list = cause_detail = _unbuilt
remedy_list = remedy_detail = faq = search = sitemap = robots_txt = healthz = _unbuilt
page_detail = page_not_found = server_error = _unbuilt
