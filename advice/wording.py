"""Small rules of wording shared by the pages and the checker."""


def in_sentence(title):
    """A title as it reads inside a sentence ("see a GP ...", "deep vein thrombosis (DVT)").

    Only the first letter is lower-cased, and not even that when the first
    word is an abbreviation or an initialism (DVT, GP, PRICE, NHS), so names
    keep their capitals.
    """
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[1].isupper():
        return title
    return title[:1].lower() + title[1:]
