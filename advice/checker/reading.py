"""The order a result is read in: what the engine found, arranged for the reader.

The engine decides which remedies a result offers and in which phase (see
docs/checker.md); this module only orders them within each phase by the
editors' ``order`` (first aid before tape, strength before stretching), so the
page and the JSON API list them the same way.
"""

from dataclasses import replace

from advice.models import Phase


def in_reading_order(result):
    """``result``, its remedies by phase, then by ``order``, then as the engine had them."""
    position = {pick: index for index, pick in enumerate(result.remedies)}
    phases = list(Phase.values)
    remedies = sorted(
        result.remedies,
        key=lambda pick: (phases.index(pick.phase), pick.remedy.order, position[pick]),
    )
    return replace(result, remedies=tuple(remedies))
