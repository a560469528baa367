"""Parsing a reader's query: words, stop words, synonym phrases, prefixes."""

from advice.search.query import (
    Query,
    Synonyms,
    clean_query,
    parse,
    reads_like_symptoms,
    replace_words,
    words_of,
)

SYNONYMS = Synonyms.from_pairs(
    [
        ("pulled\npull", "strain"),
        ("blood clot\nclot", "dvt\ndeep vein thrombosis"),
        ("back of knee\nknee", "back of your knee"),
    ]
)


def test_words_are_letters_and_digits_only_so_nothing_reaches_the_database_as_syntax():
    assert words_of('"strain" AND NEAR(x*) OR ham:* -- \'; <b>') == [
        "strain", "and", "near", "x", "or", "ham", "b",
    ]  # fmt: skip
    assert words_of("Ωμέγα café") == ["ωμέγα", "café"]


def test_clean_query_drops_control_characters_and_caps_the_length():
    assert clean_query("  heat\x00 or\t\nice  ") == "heat or ice"
    assert len(clean_query("a" * 10_000)) == 200


def test_stop_words_single_letters_and_repeats_are_dropped():
    query = parse("How do I treat a Strain strain? grade 2")
    assert query.groups == ((("treat",),), (("strain",),), (("grade",),), (("2",),))
    assert not parse("what is it")  # only stop words: nothing to search for
    assert not parse("<>&;")


def test_synonyms_add_the_sites_words_next_to_the_readers():
    assert parse("pulled hamstring", SYNONYMS).groups == (
        (("pulled",), ("strain",)),
        (("hamstring",),),
    )


def test_the_longest_synonym_phrase_wins_and_stop_words_inside_it_count():
    groups = parse("blood clot behind the back of knee", SYNONYMS).groups
    assert groups[0] == (("blood", "clot"), ("dvt",), ("deep", "vein", "thrombosis"))
    assert groups[1] == (("behind",),)
    assert groups[2] == (("back", "of", "knee"), ("back", "of", "your", "knee"))


def test_the_last_word_is_a_prefix_only_while_it_is_being_typed():
    assert parse("hamstring stre", prefix=True).prefix
    assert not parse("hamstring stre ", prefix=True).prefix
    assert not parse("hamstring stre").prefix
    assert not parse("pulled", SYNONYMS, prefix=True).prefix  # a synonym group is whole words


def test_long_queries_may_miss_one_word_and_relaxed_ones_need_any():
    assert parse("hamstring sore").needed == 2
    assert parse("run sore hamstring still").needed == 3
    assert parse("run sore hamstring still").with_any_group().needed == 1
    assert Query(()).needed == 0 and not Query(())


def test_corrections_replace_whole_words_whatever_their_case():
    assert replace_words("Hamstrng and hamstrngs", {"hamstrng": "hamstring"}) == (
        "hamstring and hamstrngs"
    )


def test_symptom_words_mark_a_query_as_symptoms():
    assert reads_like_symptoms("hamstring hurts when I sit")
    assert reads_like_symptoms("Swollen calf")
    assert not reads_like_symptoms("nordic curls")
