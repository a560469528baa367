"""Titles inside sentences keep their capitals (issue 14: "see a gp" and "dvt")."""

import pytest

from advice.wording import in_sentence


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Hamstring strain", "hamstring strain"),
        ("Deep vein thrombosis (DVT)", "deep vein thrombosis (DVT)"),
        (
            "See a GP or physiotherapist in the next few days",
            "see a GP or physiotherapist in the next few days",
        ),
        ("PRICE first aid", "PRICE first aid"),
        ("DVT", "DVT"),
        ("", ""),
    ],
)
def test_in_sentence(title, expected):
    assert in_sentence(title) == expected
