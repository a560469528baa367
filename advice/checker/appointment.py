"""What a reader takes away from a result: a one-page summary and a reminder.

Both are made on the fly from the answers in the URL and never stored: the
summary (with a QR code of the result's address, drawn here as SVG) for a GP,
physiotherapist or pharmacist, and an iCalendar reminder to check again in a
few days that carries the result's address.

segno draws the QR code: a small, pure-Python, well-kept library with SVG
output, so nothing is fetched from elsewhere. icalendar writes the reminder,
so line folding and escaping follow RFC 5545.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import segno
from django.utils import timezone
from django.utils.safestring import mark_safe
from icalendar import Alarm, Calendar, Event

from advice.care import CareLevel
from advice.triage import AgeBand, Duration, answer_label
from advice.web.canonical import absolute_url

REMINDER_DAYS = 3
REMINDER_HOUR = 9  # the alarm goes off at 9 in the morning on the day
QR_LABEL = "QR code of the address of this result"


@dataclass(frozen=True)
class Summary:
    made_at: object  # an aware datetime, in the site's time zone
    result_url: str  # absolute
    symptoms: tuple  # titles of what the reader selected
    not_selected: tuple  # titles of the warning signs asked about and not selected
    duration: str  # a label, or "" when not given
    severity: str
    age: str
    care: object  # CareResult
    causes: tuple  # (title, strength, absolute URL)

    @property
    def qr_svg(self):
        return qr_svg(self.result_url)


def summary(result, given, data):
    """The summary of one result; every address in it is absolute (on SITE_URL), for paper."""
    answers = result.answers
    chosen = set(answers.symptoms)
    return Summary(
        made_at=timezone.localtime(),
        result_url=absolute_url(given.result_url()),
        symptoms=tuple(s.title for s in result.selected),
        not_selected=tuple(
            s.title
            for s in sorted(
                data.symptoms, key=lambda s: (-CareLevel.rank(s.care_level), s.group, s.order)
            )
            if s.is_red_flag and s.slug not in chosen
        ),
        duration=answer_label(Duration, answers.duration),
        severity=f"{answers.severity} out of 10" if answers.severity is not None else "",
        age=answer_label(AgeBand, answers.age),
        care=result.care,
        causes=tuple((m.cause.title, m.strength, absolute_url(m.cause.url)) for m in result.causes),
    )


def qr_svg(url):
    """An inline SVG QR code of ``url``, labelled for screen readers.

    Only our own text goes into the markup (the URL is encoded in the
    drawing, not written as text), so it is safe to insert as it is.
    """
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=3, border=2, svgclass="qr-code", lineclass=None, title=QR_LABEL)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def reminder(result_url, care, now=None, domain="hamstring-advice"):
    """An iCalendar file: an all-day reminder in REMINDER_DAYS days, with an alarm that morning."""
    now = now or timezone.now()
    day = timezone.localtime(now).date() + timedelta(days=REMINDER_DAYS)
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@{domain}")
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", "Check your hamstring again")
    event.add(
        "description",
        f"{REMINDER_DAYS} days ago the symptom checker suggested: {care.title}. "
        "If it is not getting better, if it is worse, or if you notice any warning sign, "
        f"get help. Check again with your answers: {result_url}",
    )
    event.add("url", result_url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Check your hamstring again")
    alarm.add("trigger", timedelta(hours=REMINDER_HOUR))
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//Hamstring advice//Symptom checker//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()
