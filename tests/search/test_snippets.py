"""Marking matches safely and cutting snippets at sentence and heading edges."""

from advice.search.backends import MARK_END, MARK_START
from advice.search.snippets import marked_html, matched_words, snippet


def m(word):
    return f"{MARK_START}{word}{MARK_END}"


def test_marks_become_mark_tags_and_everything_else_is_escaped():
    html = marked_html(f"<b>Heat</b> & {m('ice')} <script>")
    assert html == "&lt;b&gt;Heat&lt;/b&gt; &amp; <mark>ice</mark> &lt;script&gt;"


def test_unbalanced_marks_never_leave_a_tag_open():
    assert marked_html(f"a {MARK_START}b") == "a <mark>b</mark>"
    assert marked_html(f"a{MARK_END} b") == "a b"


def test_the_sentence_matching_most_words_is_chosen_whole():
    body = (
        f"Intro about {m('running')}. Nothing here. "
        f"Rest from {m('running')} when the {m('hamstring')} hurts. Then more."
    )
    text = snippet(body)
    assert text.startswith(f"… Rest from {m('running')}")
    assert text.endswith("Then more.")  # a short sentence brings the next one
    assert matched_words(text) == {"running", "hamstring"}


def test_a_snippet_never_runs_a_heading_into_the_next_sentence():
    body = f"## When it {m('helps')}\nWhile you recover, it {m('helps')} to walk."
    assert snippet(body) == f"While you recover, it {m('helps')} to walk."


def test_a_heading_is_used_only_when_nothing_else_matches():
    assert snippet(f"## {m('Cramp')} at night\nStretch the calf.") == f"{m('Cramp')} at night"


def test_a_long_sentence_is_cut_between_words_around_the_match():
    body = "word " * 100 + m("sciatica") + " " + "tail " * 100 + "end."
    text = snippet(body)
    assert text.startswith("… word") and text.endswith(" …")
    assert m("sciatica") in text and len(text) < 260


def test_no_match_no_snippet():
    assert snippet("Nothing matched here.\n## Or here") == ""
