"""How urgently to get care: the levels, and every word the site says about them.

The one home of this concept. The models store levels and care cards with
these codes, the content files name cards with ``CARDS``' keys, the checker
ranks levels with ``rank()``, and every template shows the wording from here,
so a cause page and a checker result can never phrase the same level
differently.
"""

from dataclasses import dataclass

from django.db.models import TextChoices


class CareLevel(TextChoices):
    SELF_CARE = "self-care", "Self-care"
    SOON = "soon", "See a GP or physio soon"
    URGENT = "urgent", "Get seen today"
    EMERGENCY = "emergency", "Emergency"

    @classmethod
    def rank(cls, level):
        """Higher is more urgent: self-care 0 ... emergency 3.

        The checker ranks levels dozens of times per result, so the order is
        looked up in a table built once, not rebuilt from ``values`` each time.
        """
        try:
            return _RANKS[level]
        except KeyError:
            raise ValueError(f"{level!r} is not a care level") from None


_RANKS = {level: rank for rank, level in enumerate(CareLevel.values)}


@dataclass(frozen=True)
class Action:
    label: str
    href: str


NHS_111_ONLINE = Action("Use NHS 111 online", "https://111.nhs.uk/")
CALL_111 = Action("Call 111", "tel:111")
CALL_999 = Action("Call 999", "tel:999")


@dataclass(frozen=True)
class CareWording:
    level: str
    headline: str  # a checker result's heading
    card_heading: str  # a care card's heading: "... if:"
    screen_reader_prefix: str  # read before either heading, as on NHS care cards
    advice: str  # what to do, in a sentence or two
    actions: tuple = ()  # Action links shown with the advice
    card_key: str = ""  # the name of a cause's care card at this level ("" if none)
    card_field: str = ""  # the Cause field that stores that card

    @property
    def css_modifier(self):
        return self.card_key or self.level


WORDING = {
    CareLevel.SELF_CARE: CareWording(
        level=CareLevel.SELF_CARE,
        headline="You can probably look after this yourself",
        card_heading="Look after it yourself if:",
        screen_reader_prefix="Self-care advice: ",
        advice=(
            "Pain like this usually gets better with self-care. See a GP or physiotherapist if "
            "it is not clearly better after a week or two, if it gets worse, or if you notice "
            "any of the warning signs below."
        ),
    ),
    CareLevel.SOON: CareWording(
        level=CareLevel.SOON,
        headline="See a GP or physiotherapist in the next few days",
        card_heading="See a GP or physiotherapist if:",
        screen_reader_prefix="Non-urgent advice: ",
        advice=(
            "Book to see a GP or physiotherapist within the next few days. Get help sooner "
            "if it gets worse or you notice any of the warning signs below."
        ),
        card_key="non-urgent",
        card_field="care_non_urgent",
    ),
    CareLevel.URGENT: CareWording(
        level=CareLevel.URGENT,
        headline="Get seen today",
        card_heading="Get seen today (GP, urgent treatment centre or NHS 111) if:",
        screen_reader_prefix="Urgent advice: ",
        advice=(
            "Contact your GP surgery for an appointment today, go to an urgent treatment "
            "centre, or call 111 or use NHS 111 online."
        ),
        actions=(CALL_111, NHS_111_ONLINE),
        card_key="urgent",
        card_field="care_urgent",
    ),
    CareLevel.EMERGENCY: CareWording(
        level=CareLevel.EMERGENCY,
        headline="Call 999 or go to A&E now",
        card_heading="Call 999 or go to A&E if:",
        screen_reader_prefix="Immediate action required: ",
        advice=(
            "Call 999 now, or go to A&E. Do not drive yourself. Outside the UK, call your "
            "local emergency number."
        ),
        actions=(CALL_999,),
        card_key="emergency",
        card_field="care_emergency",
    ),
}

# A cause's care cards, least urgent first: the levels that have one.
CARDS = tuple(wording for wording in WORDING.values() if wording.card_key)
CARD_BY_KEY = {wording.card_key: wording for wording in CARDS}
