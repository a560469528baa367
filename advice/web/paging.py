"""Pages of the long lists (library, causes, remedies, FAQ): a page costs the same at any size.

A list's page is read in two steps inside one query: the database sorts the
keys of the matching rows (an index per list holds the sort columns, so the
sort never touches the rows themselves, whose bodies are large), and only
the page's rows are read whole. Without the first step, SQLite reads every
matching row, bodies included, to sort them: at 100 times today's content
that was most of a list page's time.

Building those queries through the ORM costs about a millisecond a page, ten
times what the database then takes to answer them. A list that is the same
for every reader (``Prepared``) is built through the ORM once per process
for each page window, and runs as the SQL the ORM wrote from then on.
"""

from collections import namedtuple
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

from advice import memo


class KeysFirst:
    """A sorted queryset, read a page at a time: the page's keys, then their rows.

    What Django's Paginator needs of its list: ``count()`` and slicing.
    """

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __getitem__(self, window):
        return list(_window(self.queryset, window))


class Prepared:
    """The sorted queryset ``build(*args)`` makes, read a page at a time as KeysFirst
    reads it, with its queries built once per process.

    ``build`` must be a function of its (hashable) arguments alone, such as a
    reader's choice of filter: its SQL is kept for those arguments, and the
    rows are read afresh on every call. A reader's free text (a search) does
    not belong here; each one would be kept.

    The items are model instances, or with ``fields`` named tuples of those
    fields (what ``values_list(*fields, named=True)`` gives): a page that
    shows a few columns of many rows spares building a model for each (a
    quarter of the FAQ page's CPU). Such fields must need no conversion from
    what the database returns (text and numbers); ``ImproperlyConfigured``
    says so otherwise.
    """

    def __init__(self, build, *args, fields=None):
        self.build, self.args, self.fields = build, args, fields

    def count(self):
        alias, sql, params = _count_sql(self.build, self.args)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def __getitem__(self, window):
        read, *query = _window_sql(self.build, self.args, self.fields, window.start, window.stop)
        return read(*query)


def page_of(request, items, per_page):
    """The page of ``items`` (a queryset or a ``Prepared`` list) the ``page`` parameter
    asks for. A value that is not a page number gets the first page, and one
    past the end the last (Django's get_page)."""
    if isinstance(items, QuerySet):
        items = KeysFirst(items)
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _window(queryset, window):
    """The rows of ``window`` (a slice) of the sorted ``queryset``: its keys, then their rows."""
    return queryset.filter(pk__in=queryset.values("pk")[window])


@memo.per_process
def _count_sql(build, args):
    queryset = build(*args)
    sql, params = _compiled(queryset.order_by().values("pk"))
    return queryset.db, f"SELECT COUNT(*) FROM ({sql}) counted", params


@memo.per_process
def _window_sql(build, args, fields, start, stop):
    """A window's reader (which makes its items), database alias, SQL and parameters."""
    queryset = _window(build(*args), slice(start, stop))
    if fields is None:
        return partial(_instances, queryset.model), queryset.db, *_compiled(queryset)
    rows = queryset.values_list(*fields)
    _refuse_conversions(rows)
    return partial(_named_tuples, namedtuple("Row", fields)), rows.db, *_compiled(rows)


def _instances(model, alias, sql, params):
    return list(model.objects.db_manager(alias).raw(sql, params))


def _named_tuples(row, alias, sql, params):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [row._make(values) for values in cursor.fetchall()]


def _refuse_conversions(queryset):
    """Raise unless every column of ``queryset`` comes from the database as Python
    wants it: rows read without the ORM get no conversion (dates in SQLite, say)."""
    compiler = queryset.query.get_compiler(queryset.db)
    compiler.setup_query()
    columns = [column for column, _, _ in compiler.select]
    if compiler.get_converters(columns):
        raise ImproperlyConfigured(
            f"Prepared(fields=...) reads columns as the database returns them: "
            f"{queryset.query.values_select} include one that needs converting"
        )


def _compiled(queryset):
    """The SQL and parameters of ``queryset``, as the ORM would run them."""
    return queryset.query.get_compiler(queryset.db).as_sql()
