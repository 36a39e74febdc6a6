"""An event's text cannot add a property to the iCalendar feed (issue 13, security; RFC 5545).

A bare CR, a LF, a CRLF or another line break in a title, a place or a text used to end the property's
line early, and the rest was read as a property of the attacker's (``ATTACH:``, ``DTSTART:``…).
"""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from school_sections.ical import ical_calendar, ical_line, ical_text

BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
INJECTIONS = [f"Party{line_break}ATTACH:https://evil.example/x.exe" for line_break in BREAKS] + [
    "Party\x00\x1b\x7f;DTSTART:19700101T000000Z",
    "a,b;c\\d" * 40 + "\r\nX-EVIL:1",
    "Қабылдау күні " * 20 + "\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:forged",
]


def unfold(calendar: str) -> list[str]:
    """The logical lines of an iCalendar text (RFC 5545, 3.1): folds removed, split on CRLF only."""
    assert calendar.endswith("\r\n")
    return calendar.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\;", ";").replace("\\,", ",").replace("\\\\", "\\")


@pytest.mark.parametrize("text", INJECTIONS)
def test_a_line_break_in_a_text_cannot_start_a_property(text):
    calendar = ical_calendar([("BEGIN", "VEVENT"), ("SUMMARY", ical_text(text)), ("END", "VEVENT")])
    physical = calendar.split("\r\n")[:-1]
    assert all("\r" not in line and "\n" not in line for line in physical)  # no bare CR or LF anywhere
    assert all(len(line.encode()) <= 75 for line in physical)  # folded at 75 octets
    lines = unfold(calendar)
    assert [line.split(":", 1)[0] for line in lines] == ["BEGIN", "SUMMARY", "END"]
    summary = unescape(lines[1].split(":", 1)[1])
    if text.startswith("Party") and "ATTACH" in text:
        assert summary == "Party\nATTACH:https://evil.example/x.exe"  # the break kept, as text


def test_text_is_escaped_as_rfc_5545_says():
    assert ical_text("a\\b;c,d\r\ne\rf\ng\th") == "a\\\\b\\;c\\,d\\ne\\nf\\ng\th"


def test_long_lines_fold_without_cutting_a_letter():
    line = ical_line("SUMMARY", ical_text("Қазақстан " * 30))
    physical = line.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert line.replace("\r\n ", "") == "SUMMARY:" + ical_text("Қазақстан " * 30)
    for part in physical:
        part.encode().decode()  # each piece is whole UTF-8


def test_an_event_crafted_to_inject_properties_adds_none_to_the_feed(make_school, client_for):
    from school_sections.models import EventIndexPage, EventPage

    provisioned = make_school()
    title = "Concert\rATTACH:https://evil.example/x.exe\nDTSTART:19700101T000000Z"
    with schema_context(provisioned.school.schema_name):
        page = EventIndexPage.objects.get().add_child(
            instance=EventPage(
                title="Concert",
                title_en=title,
                location_en="Hall\r\nORGANIZER:mailto:evil@example.com",
                body_en="<p>Bring\rX-INJECTED:1</p><p>friends &amp; family</p>",
                starts_at=timezone.now() + datetime.timedelta(days=2),
            )
        )
        page.save_revision().publish()
    calendar = client_for(provisioned.hostname).get("/feeds/events.ics").content.decode()
    assert "\r" not in calendar.replace("\r\n", "") and "\n" not in calendar.replace("\r\n", "")
    lines = unfold(calendar)
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]
    names = [line.split(":", 1)[0] for line in event]
    assert sorted(names) == sorted(
        ["BEGIN", "UID", "DTSTAMP", "DTSTART", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "END"]
    )
    values = {line.split(":", 1)[0]: unescape(line.split(":", 1)[1]) for line in event}
    assert values["SUMMARY"] == "Concert\nATTACH:https://evil.example/x.exe\nDTSTART:19700101T000000Z"
    assert values["LOCATION"] == "Hall\nORGANIZER:mailto:evil@example.com"
    assert values["DESCRIPTION"] == "Bring\nX-INJECTED:1friends & family"
    assert not values["DTSTART"].startswith("1970")
