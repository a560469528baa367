"""A database that already holds content migrates to today's schema.

Migrations that run code on existing rows are only exercised by a database
with rows in it; an empty test database would pass whatever they do."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from advice.models import SearchDocument, SearchTerm
from advice.search import search

BEFORE_SEARCH_INDEX = ("advice", "0004_structured_sources_and_toc")
BEFORE_READING_ORDER = ("advice", "0009_review_owner_and_clinical_reviewer")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("advice")


@pytest.mark.django_db(transaction=True)
def test_content_saved_at_0009_migrates_to_the_latest_schema():
    old = migrate([BEFORE_READING_ORDER])
    try:
        common = {
            "title": "Title",
            "summary": "Summary.",
            "body": "Body.",
            "last_reviewed": datetime.date(2026, 1, 1),
            "next_review": datetime.date(2027, 1, 1),
            "owner": "Editorial team",
            "clinical_reviewer": "Editorial team",
            "sources": [],
        }
        old.get_model("advice", "Remedy").objects.create(
            slug="old-remedy", kind="self-care", phases=["acute"], cautions="One.", **common
        )
        old.get_model("advice", "Cause").objects.create(
            slug="old-cause", recovery_time="Two weeks.", **common
        )
    finally:
        new = migrate(latest())
    assert new.get_model("advice", "Remedy").objects.get(slug="old-remedy").order == 0
    assert new.get_model("advice", "Cause").objects.get(slug="old-cause").order == 0


@pytest.mark.django_db(transaction=True)
def test_content_saved_before_the_search_index_is_found_after_migrating():
    old = migrate([BEFORE_SEARCH_INDEX])
    try:
        old.get_model("advice", "Cause").objects.create(
            slug="old-cause",
            title="Ischial bursitis",
            summary="A sore spot over the sitting bone.",
            body="Pain when sitting on hard chairs.",
            last_reviewed=datetime.date(2026, 1, 1),
            next_review=datetime.date(2027, 1, 1),
            recovery_time="Weeks.",
        )
    finally:
        call_command("migrate", verbosity=0)  # as a deployment runs it: post_migrate follows
    assert SearchDocument.objects.filter(kind="cause").count() == 1
    assert SearchTerm.objects.filter(word="bursitis").exists()
    assert [hit.url for hit in search("bursitis").page] == ["/causes/old-cause/"]


@pytest.mark.django_db(transaction=True)
def test_migrating_back_past_the_search_index_and_forward_again():
    # Back to before the index (its tables gone: the build after migrate must
    # not look for them), then forward; on SQLite and PostgreSQL alike.
    try:
        call_command("migrate", "advice", BEFORE_SEARCH_INDEX[1], verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    assert not SearchDocument.objects.exists()  # no content: nothing to build


def search_vector_storage():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = 'search_vector'",
            [SearchDocument._meta.db_table],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage of a column")
@pytest.mark.django_db(transaction=True)
def test_search_vectors_are_kept_in_their_rows_on_postgresql():
    assert search_vector_storage() == "m"  # MAIN: compressed, in the row
    try:
        call_command("migrate", "advice", "0015", verbosity=0)
        assert search_vector_storage() == "x"  # EXTENDED, PostgreSQL's default
    finally:
        call_command("migrate", verbosity=0)
    assert search_vector_storage() == "m"
