"""per_content_version: values kept per content version and per set of arguments."""

import pytest
from django.http import Http404

from advice.content import version
from advice.content.version import bump_version, per_content_version

pytestmark = pytest.mark.django_db


def counting(function):
    calls = []

    def compute(*args):
        calls.append(args)
        return function(*args)

    return per_content_version(compute), calls


def test_each_set_of_arguments_is_computed_once_per_version():
    square, calls = counting(lambda n: n * n)
    assert [square(2), square(3), square(2), square(3)] == [4, 9, 4, 9]
    assert calls == [(2,), (3,)]
    bump_version()
    assert square(2) == 4
    assert calls == [(2,), (3,), (2,)]


def test_a_call_that_raises_keeps_nothing():
    state = {"found": False}

    def find(slug):
        if not state["found"]:
            raise Http404(slug)
        return slug

    lookup, calls = counting(find)
    with pytest.raises(Http404):
        lookup("draft")
    state["found"] = True
    assert lookup("draft") == "draft"
    assert len(calls) == 2


def test_at_most_the_limit_is_kept(monkeypatch):
    monkeypatch.setattr(version, "PER_VERSION_LIMIT", 3)
    identity, calls = counting(lambda slug: slug)
    for slug in ["a", "b", "c", "d", "e"]:
        identity(slug)
    identity("e")
    assert len(calls) == 5  # "e" is still kept
    identity("a")
    assert len(calls) == 6  # "a" was forgotten to stay within the limit
