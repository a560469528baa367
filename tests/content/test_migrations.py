"""A database that already holds content migrates to today's schema.

Migrations that run code on existing rows are only exercised by a database
with rows in it; an empty test database would pass whatever they do."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
