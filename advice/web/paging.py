"""Pages of the long lists (library, causes, remedies, FAQ): a page costs the same at any size.

A list's page is read in two steps inside one query: the database sorts the
keys of the matching rows (an index per list holds the sort columns, so the
sort never touches the rows themselves, whose bodies are large), and only
the page's rows are read whole. Without the first step, SQLite reads every
matching row, bodies included, to sort them: at 100 times today's content
that was most of a list page's time.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class KeysFirst:
    """A sorted queryset, read a page at a time: the page's keys, then their rows.

    What Django's Paginator needs of its list: ``count()`` and slicing.
    """

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __getitem__(self, window):
        keys = self.queryset.values("pk")[window]
        return list(self.queryset.filter(pk__in=keys))


def page_of(request, items, per_page):
    """The page of ``items`` the ``page`` parameter asks for. A value that is not a
    page number gets the first page, and one past the end the last (Django's get_page)."""
    if isinstance(items, QuerySet):
        items = KeysFirst(items)
    return Paginator(items, per_page).get_page(request.GET.get("page"))
