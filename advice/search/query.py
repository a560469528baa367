"""A reader's query as search uses it: cleaned, split into words, widened with synonyms.

A query becomes *groups*: every group must match (or, when relaxed, any
group), and a group matches if any of its *phrases* does. A phrase is one or
more words in order. "pulled hamstring" becomes
``((("pulled",), ("strain",)), (("hamstring",),))``: the synonyms in
``content/synonyms/`` add the site's words next to the reader's own.

Both databases get the same groups (``backends`` writes them as a tsquery or
an FTS5 MATCH expression) and stem the words themselves, so "stretches" finds
"stretching" on either.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_GROUPS = 8
MAX_PHRASE_WORDS = 6

# PostgreSQL's English stop words (tsearch_data/english.stop). PostgreSQL drops
# them from queries itself; dropping the same ones here makes SQLite agree.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did doing
    a an the and but if or because as until while of at by for with about against between into
    through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Words that describe how something feels: a query using them reads like
# symptoms, and the results page points to the symptom checker.
_SYMPTOM_WORDS = """
    pain painful pains hurt hurts hurting ache aches aching achy sore soreness tender swelling
    swollen swell bruise bruised bruising numb numbness tingling tingle pins needles cramp cramps
    cramping spasm spasms tight tightness weak weakness stiff stiffness pop popped popping snap
    snapped throbbing burning sharp dull limp limping twinge twinges
"""
SYMPTOM_WORDS = frozenset(_SYMPTOM_WORDS.split())

_WORD = re.compile(r"[^\W_]+")


def clean_query(raw):
    """The query as we will use it: printable, single-spaced, at most 200 characters."""
    text = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char for char in str(raw or "")
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def words_of(text):
    """The words of ``text``, lower-cased, in order: letters and digits only, so
    nothing a reader types can reach a database as syntax."""
    return _WORD.findall(text.casefold())


def is_searchable(word):
    """Single letters match almost everything; single digits are kept ("grade 2")."""
    return len(word) > 1 or word.isdigit()


@dataclass(frozen=True)
class Synonyms:
    """The reader's phrases (as word tuples) -> the site's phrases to search for as well."""

    means: dict = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs):
        """``pairs``: (reader's words, site's words), each one phrase per line."""
        means = {}
        for words, site_words in pairs:
            targets = [tuple(words_of(phrase)) for phrase in site_words.splitlines()]
            for phrase in words.splitlines():
                key = tuple(words_of(phrase))
                if key:
                    known = means.setdefault(key, [])
                    known.extend(t for t in targets if t and t != key and t not in known)
        return cls({key: tuple(value) for key, value in means.items()})

    @property
    def longest(self):
        return max((len(key) for key in self.means), default=1)

    def vocabulary(self):
        """Every word the synonyms know, for spelling."""
        return {word for key in self.means for word in key}


@dataclass(frozen=True)
class Query:
    groups: tuple  # of groups; a group is a tuple of phrases; a phrase a tuple of words
    prefix: bool = False  # the last word is still being typed: match words starting with it
    relaxed: bool = False  # any group may match, not every group

    def __bool__(self):
        return bool(self.groups)

    def words(self):
        """The reader's own words (the first phrase of each group)."""
        return [word for group in self.groups for word in group[0]]

    @property
    def needed(self):
        """How many groups a document must match: all of up to three; with more,
        one may be missing (readers add words the answer need not use: "still")."""
        if self.relaxed:
            return 1
        count = len(self.groups)
        return count if count <= 3 else count - 1

    def with_any_group(self):
        return Query(self.groups, self.prefix, relaxed=True)


def parse(text, synonyms=Synonyms(), prefix=False):
    """The Query for ``text``: synonym phrases first (longest wins), then single
    words; stop words and repeats dropped."""
    words = [word for word in words_of(text) if is_searchable(word)]
    groups, index = [], 0
    while index < len(words) and len(groups) < MAX_GROUPS:
        for length in range(min(synonyms.longest, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + length])
            if phrase in synonyms.means:
                group = (phrase[:MAX_PHRASE_WORDS], *synonyms.means[phrase])
                index += length
                break
        else:
            word, index = words[index], index + 1
            if word in STOP_WORDS:
                continue
            group = ((word,),)
        if group not in groups:
            groups.append(group)
    # The last word is only a prefix if the reader is still typing it.
    typing = prefix and bool(groups) and not text.endswith(" ") and len(groups[-1]) == 1
    return Query(tuple(groups), prefix=typing and len(groups[-1][0]) == 1)


def reads_like_symptoms(text):
    """Whether the query describes how something feels ("hurts when I sit")."""
    return any(word in SYMPTOM_WORDS for word in words_of(text))


def replace_words(text, corrections):
    """``text`` with each corrected word replaced (matched case-insensitively, whole words)."""
    if not corrections:
        return text
    return _WORD.sub(lambda match: corrections.get(match.group().casefold(), match.group()), text)
