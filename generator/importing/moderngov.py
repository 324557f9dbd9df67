"""A client for ModernGov's public web service (`<site>/mgWebService.asmx`), called as plain
HTTP GETs, and the plain values its answers are read into.

The server is not trusted. Answers are read with defusedxml (no DTDs, no entity expansion, no
external entities) and may be at most `MAX_RESPONSE` bytes. Every request has a timeout, is
tried again a few times when the server is slow or failing, and is spaced from the last one;
a request that still fails raises `ServiceError` naming it.

Restricted (exempt) items and attachments are dropped while the answer is read: their text,
their papers and the reasons given for restricting them never leave this module, so nothing
after it can write them anywhere. What is kept of a restricted item is its number, its title
(which the council publishes on the agenda) and the paragraph of Schedule 12A, when stated.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlencode, urljoin, urlsplit

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from generator import __version__
from generator.importing.wordhtml import plain_text

MAX_RESPONSE = 16 * 1024 * 1024
MAX_DOCUMENT = 64 * 1024 * 1024
TIMEOUT = 120.0  # seconds: some councils' servers take a minute to answer
TRIES = 3
PACE = 1.0  # seconds between the starts of two requests
_PARAGRAPH = re.compile(r"\bparagraphs?\s*(\d)\b", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|noon|midday)?$", re.IGNORECASE)


class ServiceError(Exception):
    """A request that failed for good, or an answer that cannot be read."""

    def __init__(self, request: str, message: str) -> None:
        super().__init__(f"{request}: {message}")
        self.request = request
        self.message = message


@dataclass(frozen=True)
class Committee:
    id: str
    title: str
    expired: bool


@dataclass(frozen=True)
class MeetingSummary:
    id: str
    committee: str
    date: dt.date


@dataclass(frozen=True)
class LinkedDocument:
    title: str
    url: str


@dataclass(frozen=True)
class AgendaItem:
    id: str
    number: str | None
    title: str
    restricted: bool
    paragraph: int | None  # of Schedule 12A, for a restricted item whose papers say so
    minutes_html: str | None
    agenda_html: str | None
    documents: tuple[LinkedDocument, ...]
    restricted_documents: int  # how many attachments were left out as restricted
    declarations: int


@dataclass(frozen=True)
class Attendee:
    id: str
    name: str
    role: str
    attendance: str
    ward: str | None


@dataclass(frozen=True)
class MeetingDetail:
    id: str
    date: dt.date
    start: str | None  # "HH:MM"
    end: str | None
    location: str | None
    status: str
    minutes_published: bool
    items: tuple[AgendaItem, ...]
    attendees: tuple[Attendee, ...]


@dataclass(frozen=True)
class Councillor:
    id: str
    name: str
    party: str | None
    ward: str | None


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str | None


def service_root(url: str) -> str:
    """The council's democracy site from whatever address was given for it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{url}' is not a web address: give the council's democracy site, "
                         "such as https://democracy.example.gov.uk")
    path = re.sub(r"/?(mgWebService\.asmx.*|[^/]*\.aspx)$", "", parts.path, flags=re.IGNORECASE).rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


class Client:
    def __init__(self, site: str, *, timeout: float | None = None, tries: int | None = None, pace: float | None = None,
                 max_response: int | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.site = service_root(site)
        self.timeout = TIMEOUT if timeout is None else timeout
        self.tries = TRIES if tries is None else tries
        self.pace = PACE if pace is None else pace
        self.max_response = MAX_RESPONSE if max_response is None else max_response
        self.sleep = sleep
        self._last = 0.0
        self.requests = 0

    # --- The calls ---------------------------------------------------------------------------

    def committees(self) -> list[Committee]:
        root = self._call("GetCommittees", {})
        found = []
        for committee in root.iter("committee"):
            if _flag(committee, "committeedeleted"):
                continue
            ident, title = _text(committee, "committeeid"), plain_text(_text(committee, "committeetitle") or "")
            if ident and title:
                found.append(Committee(ident, title, _flag(committee, "committeeexpired")))
        return sorted(found, key=lambda c: (c.title.lower(), c.id))

    def meetings(self, committee: str, start: dt.date, end: dt.date) -> list[MeetingSummary]:
        request = {"lCommitteeId": committee, "sFromDate": start.strftime("%d/%m/%Y"), "sToDate": end.strftime("%d/%m/%Y")}
        root = self._call("GetMeetings", request)
        found = []
        for meeting in root.iter("meeting"):
            ident, day = _text(meeting, "meetingid"), _date(_text(meeting, "meetingdate"))
            if ident and day and start <= day <= end:
                found.append(MeetingSummary(ident, committee, day))
        return sorted(found, key=lambda m: (m.date, int(m.id) if m.id.isdigit() else 0, m.id))

    def meeting(self, meeting: str) -> MeetingDetail:
        name = f"GetMeeting?lMeetingId={meeting}"
        root = self._call("GetMeeting", {"lMeetingId": meeting})
        day = _date(_text(root, "meetingdate"))
        if day is None:
            raise ServiceError(name, "the answer gives no meeting date")
        items = tuple(_agenda_item(item) for item in root.iter("agendaitem"))
        attendees = []
        for attendee in root.iter("attendee"):
            ident, who = attendee.get("memberid", "").strip(), " ".join(attendee.get("name", "").split())
            if ident and who:
                attendees.append(Attendee(ident, who, " ".join(attendee.get("roledescription", "").split()),
                                          attendee.get("attendance", "").strip(), (attendee.get("ward") or "").strip() or None))
        return MeetingDetail(
            id=meeting,
            date=day,
            start=_time(_text(root, "meetingactualstarttime")) or _time(_text(root, "meetingtime")),
            end=_time(_text(root, "meetingactualfinishtime")),
            location=" ".join((_text(root, "meetinglocation") or "").split()) or None,
            status=(_text(root, "meetingstatus") or "").strip(),
            minutes_published=_flag(root, "minutepublished"),
            items=items,
            attendees=tuple(attendees),
        )

    def councillors(self) -> list[Councillor]:
        root = self._call("GetCouncillorsByWard", {})
        found = {}
        for ward in root.iter("ward"):
            ward_title = plain_text(_text(ward, "wardtitle") or "") or None
            for councillor in ward.iter("councillor"):
                ident, name = _text(councillor, "councillorid"), plain_text(_text(councillor, "fullusername") or "")
                if ident and name:  # only what is published about the office: no addresses, no photographs
                    party = plain_text(_text(councillor, "politicalpartytitle") or "") or None
                    found[ident] = Councillor(ident, name, party, ward_title)
        return sorted(found.values(), key=lambda c: c.id)

    def download(self, url: str) -> Download:
        """A meeting's paper, at most MAX_DOCUMENT bytes."""
        data, headers = self._get(url, url, MAX_DOCUMENT)
        return Download(data, headers.get_content_type(), headers.get_filename())

    # --- HTTP -------------------------------------------------------------------------------

    def _call(self, method: str, parameters: dict[str, str]) -> ElementTree.Element:
        name = method + ("?" + urlencode(parameters) if parameters else "")
        url = f"{self.site}/mgWebService.asmx/{name}"
        for attempt in range(1, self.tries + 1):
            data, _ = self._get(name, url, self.max_response)
            try:
                return SafeElementTree.fromstring(data, forbid_dtd=True)
            except defusedxml.DefusedXmlException as err:
                raise ServiceError(name, f"the answer was refused: it uses XML features that could attack this "
                                         f"computer ({type(err).__name__})") from None
            except ElementTree.ParseError as err:
                if attempt == self.tries:  # a cut-off answer may come whole the next time
                    raise ServiceError(name, f"the answer is not well-formed XML ({err}), after {self.tries} tries") from None
                self.sleep(2.0 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, name: str, url: str, limit: int) -> tuple[bytes, Message]:
        problem = ""
        for attempt in range(1, self.tries + 1):
            wait = self._last + self.pace - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": f"minutes/{__version__} (importing public records)"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - http(s) only
                    data = answer.read(limit + 1)
                    if len(data) > limit:
                        raise ServiceError(name, f"the answer is larger than {limit // (1024 * 1024)} MiB, "
                                                 "more than a meeting's record can be: not read")
                    return data, answer.headers
            except urllib.error.HTTPError as err:
                problem = f"the server answered {err.code} {err.reason}"
                if err.code < 500 and err.code != 429:
                    break
            except (TimeoutError, socket.timeout):
                problem = f"no answer within {self.timeout:g} seconds"
            except urllib.error.URLError as err:
                reason = err.reason
                problem = (f"no answer within {self.timeout:g} seconds" if isinstance(reason, (TimeoutError, socket.timeout))
                           else f"cannot reach the server ({reason})")
            except (ConnectionError, OSError) as err:  # reset or cut off mid-answer
                problem = f"the connection failed ({err})"
            if attempt < self.tries:
                self.sleep(2.0 ** attempt)
        raise ServiceError(name, f"{problem}, after {attempt} {'try' if attempt == 1 else 'tries'}")


def document_url(site: str, url: str) -> str | None:
    """An attachment's address made absolute; None unless it is http(s)."""
    absolute = urljoin(site + "/", url.strip())
    return absolute if re.match(r"^https?://[^\s/]+[^\s]*$", absolute) else None


# --- Reading answers ---------------------------------------------------------------------------

def _agenda_item(item: ElementTree.Element) -> AgendaItem:
    restricted = _flag(item, "isrestricted")
    title = plain_text(_text(item, "agendaitemtitle") or "")
    number = (_text(item, "fulldisplaynumberformat") or _text(item, "minutesitemnumber")
              or _text(item, "agendaitemnumber") or "").strip().rstrip(".") or None
    documents = []
    hidden = 0
    reasons = [title]
    for doc in item.iter("linkeddoc"):
        if restricted or _flag(doc, "isrestricted"):
            hidden += 1
            reasons.append(_text(doc, "restrictionsRef") or "")
            continue
        doc_title, url = plain_text(_text(doc, "title") or ""), (_text(doc, "url") or "").strip()
        if doc_title and url:
            documents.append(LinkedDocument(doc_title, url))
    if restricted:
        found = next((m for reason in reasons if (m := _PARAGRAPH.search(reason))), None)
        paragraph = int(found.group(1)) if found and 1 <= int(found.group(1)) <= 7 else None
        return AgendaItem(_text(item, "agendaitemid") or "", number, title, True, paragraph, None, None, (), hidden, 0)
    return AgendaItem(
        id=_text(item, "agendaitemid") or "",
        number=number,
        title=title,
        restricted=False,
        paragraph=None,
        minutes_html=(_text(item, "minutesnonemptyhtmlbody") or "").strip() or None,
        agenda_html=(_text(item, "agendatext") or "").strip() or None,
        documents=tuple(documents),
        restricted_documents=hidden,
        declarations=int(count) if (count := (_text(item, "declarationcount") or "").strip()).isdigit() else 0,
    )


def _text(element: ElementTree.Element, name: str) -> str | None:
    found = element.find(name)
    return found.text if found is not None and found.text is not None else None


def _flag(element: ElementTree.Element, name: str) -> bool:
    return (_text(element, name) or "").strip().lower() == "true"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime((value or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _time(value: str | None) -> str | None:
    """ "10.00 am", "2.00 pm", "6.30pm", "12 noon" or "18:30" as "HH:MM"."""
    match = _TIME.match(" ".join((value or "").split()))
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower().replace(".", "")
    if half in ("noon", "midday"):
        hour = 12
    elif half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None
