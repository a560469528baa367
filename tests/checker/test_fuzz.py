"""Random and hostile query strings never make either checker endpoint fail."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

# The result and the API, and the question pages that carry the same parameters.
FORMS = [
    reverse("advice:checker"),
    reverse("advice:checker_api"),
    *(reverse("advice:checker_step", args=[step]) for step in ("signs", "pain", "details")),
    reverse("advice:checker_summary"),
]
ENDPOINTS = [
    *FORMS,
    reverse("advice:checker_all"),
    reverse("advice:checker_check"),
    reverse("advice:checker_reminder"),
]
SLUGS = ["pop-at-injury", "dull-ache", "soreness-24-72h", "breathless-or-chest-pain"]

FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=90, max_size=300),
    st.sampled_from(["\x00", "%00", "\ud7ff", "💥", "../../etc/passwd", "<script>", "' OR 1=1"]),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
keys = st.one_of(
    st.sampled_from(["symptom", "duration", "severity", "age", "signs", "change", "next"]),
    hostile_text,
)
values = st.one_of(
    st.sampled_from([*SLUGS, "under-3-days", "over-6-weeks", "0", "10", "8", "", "none", "1"]),
    hostile_text,
)
pairs = st.lists(st.tuples(keys, values), max_size=60)
raw_query = st.one_of(
    # Whatever a client might put after "?", percent-encoded or not.
    st.text(max_size=400).map(lambda t: t.encode("utf-8").decode("iso-8859-1")),
    st.binary(max_size=400).map(lambda b: b.decode("iso-8859-1")),
)


def assert_not_server_error(client, path, query_string):
    response = client.get(path, QUERY_STRING=query_string)
    assert response.status_code < 500, (path, query_string, response.status_code)
    assert "no-store" in response["Cache-Control"]
    if "api" in path:
        assert response.status_code in (200, 400)
        body = response.json()
        assert ("errors" in body) == (response.status_code == 400)
    return response


@pytest.mark.parametrize("path", ENDPOINTS)
@FUZZ
@given(pairs=pairs)
def test_random_answers_never_fail(client, real_content, path, pairs):
    assert not settings.DEBUG
    assert_not_server_error(client, path, urlencode(pairs))


@pytest.mark.parametrize("path", ENDPOINTS)
@FUZZ
@given(query=raw_query)
def test_raw_query_strings_never_fail(client, real_content, path, query):
    assert_not_server_error(client, path, query)


@pytest.mark.parametrize("path", FORMS)
def test_more_fields_than_django_will_parse_is_a_clear_error(client, real_content, path):
    query = "&".join(["symptom=dull-ache"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    response = assert_not_server_error(client, path, query)
    if "api" in path:
        assert response.status_code == 400
        assert "Too many answers" in response.json()["errors"]["__all__"][0]
    else:
        assert response.status_code == 200
        assert "Too many answers" in response.content.decode()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_huge_value_is_a_clear_error(client, real_content, path):
    response = assert_not_server_error(client, path, "symptom=" + "a" * 100_000)
    assert response.status_code in (200, 400)
