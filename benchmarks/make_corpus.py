"""A synthetic council for the benchmark, written in Minutes' content format.

    python benchmarks/make_corpus.py SIZE DIR [--hugo HUGO_DIR]

SIZE is S (1 board, 1 year), M (10 boards x 10 years), L (30 boards x 20 years) or
XL (twice L: two councils of 30 boards x 20 years); every board meets 10 times a year.
DIR becomes a Minutes site (site.yaml, content/people, content/boards,
content/meetings) that passes `minutes check`. With --hugo, the same meetings are also
written as a Hugo site (YAML front matter, Markdown body) for the comparison in run.py.

The council is deterministic: a seeded random generator and nothing else, so the same
size gives the same bytes on every run and every machine. The text is made from the
sentences of the five seed documents (real council records, in seed_sentences.txt):
an order-2 Markov chain over their words makes new sentences with their vocabulary and
about their lengths (seeds: 25.7 words a sentence on average, median 24).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCES = HERE / "seed_sentences.txt"
# "Today" for every benchmark build (SOURCE_DATE_EPOCH): meetings after it are scheduled.
TODAY = dt.date(2025, 12, 1)
LAST_YEAR = 2025
MONTHS = (1, 2, 3, 4, 6, 7, 9, 10, 11, 12)  # ten meetings a year: none in May (elections) or August


@dataclass(frozen=True)
class Size:
    councils: int
    boards: int  # per council
    years: int


SIZES = {
    "S": Size(1, 1, 1),
    "M": Size(1, 10, 10),
    "L": Size(1, 30, 20),
    "XL": Size(2, 30, 20),
}

# --- Vocabulary ----------------------------------------------------------------------------------

COUNCILS = (
    ("halton", "Halton Borough Council", ""),
    ("westmere", "Westmere County Council", "w"),
)
BOARDS = (  # name, kind, minute prefix, reports to
    ("Executive Board", "cabinet", "EXB", None),
    ("Council", "council", "COU", None),
    ("Planning Committee", "committee", "PLN", None),
    ("Development Control Committee", "committee", "DCC", None),
    ("Licensing Committee", "committee", "LIC", None),
    ("Regulatory Committee", "committee", "REG", None),
    ("Audit and Governance Committee", "committee", "AGC", None),
    ("Standards Committee", "committee", "STD", "council"),
    ("Health and Wellbeing Board", "board", "HWB", None),
    ("Children, Young People and Families Policy and Performance Board", "board", "CYP", "executive-board"),
    ("Health Policy and Performance Board", "board", "HPP", "executive-board"),
    ("Employment, Learning and Skills Policy and Performance Board", "board", "ELS", "executive-board"),
    ("Environment and Urban Renewal Policy and Performance Board", "board", "EUR", "executive-board"),
    ("Safer Policy and Performance Board", "board", "SAF", "executive-board"),
    ("Corporate Policy and Performance Board", "board", "CPB", "executive-board"),
    ("Business Efficiency Board", "board", "BEB", "executive-board"),
    ("Appointments Committee", "committee", "APP", "council"),
    ("Schools Forum", "partnership", "SCF", None),
    ("Corporate Parenting Panel", "panel", "CPP", "executive-board"),
    ("Adoption and Fostering Panel", "panel", "AFP", None),
    ("Pensions Committee", "committee", "PEN", "council"),
    ("Mersey Gateway Crossings Board", "partnership", "MGB", None),
    ("Area Forum North", "panel", "AFN", None),
    ("Area Forum South", "panel", "AFS", None),
    ("Housing Scrutiny Panel", "panel", "HSP", "executive-board"),
    ("Transport and Highways Committee", "committee", "THC", None),
    ("Climate Emergency Working Group", "panel", "CEW", "executive-board"),
    ("Executive Member for Children's Services", "individual", "ECS", None),
    ("Executive Member for Resources", "individual", "ERS", None),
    ("Community Safety Partnership", "partnership", "CSP", None),
)
FIRST = ("Mark", "Geoffrey", "Lauren", "Pauline", "Margaret", "Kath", "Angela", "June", "John", "Andrea", "Bill",
         "Ann", "Rob", "Gerald", "Colin", "Tracey", "Richard", "Ian", "Dave", "Susan", "Peter", "Christine",
         "Stephen", "Helen", "Martin", "Joan", "Andrew", "Karen", "Paul", "Linda", "Michael", "Sandra", "Tony",
         "Elizabeth", "Keith", "Janet", "Alan", "Patricia", "Neil", "Marie", "Gareth", "Ruth", "Simon", "Julie",
         "Philip", "Wendy", "Graham", "Denise", "Shaun", "Valerie", "Ged", "Eddie", "Irene", "Norman", "Carol",
         "Ellen", "Stan", "Joyce", "Harry", "Frances", "Sean", "Louise", "Arthur", "Hazel", "Tom", "Nicola",
         "Chris", "Rosie", "Dan", "Aisha", "Imran", "Priya", "Owen", "Bethan", "Rhys", "Siobhan", "Declan", "Fiona")
LAST = ("Dennett", "Logan", "Cassidy", "Hignett", "Horabin", "Loftus", "McInerney", "Roberts", "Stockton", "Wall",
        "Woolfall", "Jones", "Polhill", "Meehan", "Hardy", "Coffey", "Priest", "Stephens", "Burbage", "McIntyre",
        "Swain", "Wright", "Nelson", "Harris", "Wharton", "Philbin", "Gerrard", "Parker", "Osborne", "Lowe",
        "Fry", "Morley", "Thompson", "Baker", "Hodges", "Sinnott", "Nolan", "Whitley", "Ratcliffe", "Howard",
        "Carlin", "Dourley", "Fraser", "Gilligan", "Goodall", "Jones-Evans", "Leck", "Lea", "MacManus", "Rowe",
        "Shepherd", "Teeling", "Thornton", "Wainwright", "Zygadllo", "Bradshaw", "Cargill", "Dyer", "Edge",
        "Fulton", "Hill", "Joe", "Kelly", "Loftus-Hughes", "Maher", "McDermott", "Ogden", "Patel", "Redhead",
        "Ryan", "Stretch", "Tierney", "Upton", "Varley", "Wilson", "Yates", "Ahmed", "Begum", "Clarke", "Doyle",
        "Evans", "Flynn", "Gallagher", "Hughes", "Irwin", "Jackson", "Kaur", "Lloyd", "Murphy", "Noonan")
PARTIES = ("Labour", "Labour", "Labour", "Labour", "Liberal Democrat", "Conservative", "Independent", "Green")
PLACES = ("Farnworth", "Ditton", "Hale", "Halton Brook", "Appleton", "Grange", "Mersey", "Norton North",
          "Norton South", "Beechwood", "Castlefields", "Windmill Hill", "Daresbury", "Kingsway", "Riverside",
          "Broadheath", "Hough Green", "Birchfield", "Heath", "Halton Castle", "Halton Lea", "Halton View",
          "Victoria", "Bridgewater", "Central", "Highfield", "Moore", "Preston Brook", "Weston", "Upton")
SERVICES = ("adult social care", "children's social care", "home to school transport", "waste collection",
            "leisure centres", "libraries", "youth services", "special educational needs", "domiciliary care",
            "school improvement", "street lighting", "parks and open spaces", "council tax support", "early help",
            "foster care", "residential care", "public health nursing", "drug and alcohol services",
            "housing support", "economic development", "highways maintenance", "adult learning",
            "children's centres", "school meals", "bereavement services", "trading standards")
OFFICER_POSTS = ("Chief Executive", "Strategic Director, People", "Strategic Director, Enterprise, Community and Resources",
                 "Operational Director, Finance", "Operational Director, Legal and Democratic Services",
                 "Director of Public Health", "Operational Director, Planning and Transportation",
                 "Operational Director, Education, Inclusion and Provision", "Operational Director, Children and Families",
                 "Operational Director, Adult Social Care", "Operational Director, Economy, Enterprise and Property",
                 "Operational Director, Community and Environment", "Head of Democratic Services",
                 "Divisional Manager, Audit, Procurement and Operational Finance", "Principal Planning Officer",
                 "Licensing Manager", "Democratic Services Officer", "Head of Housing Solutions")
TOPICS = (  # title, recurring matter (None, "board" for one per board, "council" for one per council)
    ("Quarterly monitoring report, quarter {q} {fy}", "performance-monitoring", "board"),
    ("Budget monitoring: {service}", None, None),
    ("Revenue budget {fy}", "revenue-budget", "council"),
    ("Capital programme {fy}", "capital-programme", "council"),
    ("Commissioning strategy for {service}", None, None),
    ("{place} regeneration scheme", None, None),
    ("School admissions arrangements {fy}", "school-admissions", "council"),
    ("Annual report of the {partnership}", None, None),
    ("Local Plan review: {place} allocations", "local-plan-review", "council"),
    ("Application for a premises licence, {place}", None, None),
    ("Planning application {yy}/{num}/FUL: land at {place}", None, None),
    ("Internal audit progress report", "internal-audit", "board"),
    ("Treasury management {fy}", None, None),
    ("Consultation on changes to {service}", None, None),
    ("Fees and charges for {service} {fy}", None, None),
    ("Scrutiny topic report: {service}", None, None),
    ("Inspection of {service}", None, None),
    ("Procurement of {service}", None, None),
    ("Air quality action plan for {place}", None, None),
    ("Homelessness strategy {year}-{year4}", None, None),
    ("Highways maintenance programme {fy}", None, None),
    ("Climate emergency action plan: progress", "climate-emergency", "council"),
    ("Corporate risk register", None, None),
    ("Community safety strategic assessment {fy}", None, None),
    ("Petition: {service} in {place}", None, None),
    ("Executive Board minutes", "executive-board-minutes", "board"),
    ("Work programme {fy}", None, None),
    ("Business planning {year}-{year3}", None, None),
)
PARTNERSHIPS = ("Safeguarding Children Board", "Safeguarding Adults Board", "Children's Trust", "Youth Offending Service",
                "Local Enterprise Partnership", "Clinical Commissioning Group", "Community Safety Partnership")
EXEMPT_TITLES = ("Sale of land at {place}", "Staffing matter: {service}", "Contract award: {service}",
                 "Acquisition of property in {place}", "Legal proceedings: {place}")
RESOLUTION_CLAUSES = (
    "the report be noted",
    "the {topic} be approved",
    "the {topic}, as set out in the report, be agreed",
    "the {post} be authorised, in consultation with the portfolio holder, to take such action as is necessary to implement the decision",
    "a further report on {service} be brought to a future meeting of the Board",
    "the comments of the Board be referred to the Executive Board",
    "the proposals for {service} in {place} be supported",
    "officers be thanked for the report and the work undertaken to date",
    "the progress made in delivering {service} be welcomed",
    "the recommendations of the working group on {service} be endorsed",
    "the sum of {money} be added to the capital programme for {fy}",
    "the risks identified in the report be kept under review by the {post}",
    "the application be granted, subject to the conditions set out in the report",
    "the consultation on {service} be launched for a period of twelve weeks",
)
VERBS = ("considered", "examined", "reviewed", "discussed", "scrutinised", "welcomed", "debated", "studied",
         "received", "assessed", "heard", "noted")

# --- Text ----------------------------------------------------------------------------------------


def extract_sentences(seed_dir: Path) -> list[str]:
    """Whole sentences of running text from the seed documents: no tables, headings, list
    numbers or addresses, and nothing that Markdown or the format would read as markup."""
    bad = set("*_[]#<>\\`{}|=@~^")
    found: list[str] = []
    seen: set[str] = set()
    for path in sorted(seed_dir.glob("*.txt")):
        paragraphs, current = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or "|" in line or "\t" in line:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                continue
            line = line.replace("**", "")
            line = re.sub(r"^[-*•·]\s+", "", line)
            line = re.sub(r"^\(?(\d+(\.\d+)*|[a-z]|[ivx]+)[.)]\)?\s+", "", line)
            line = re.sub(r"^\d+(\.\d+)*\s+", "", line)
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
        for paragraph in paragraphs:
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"‘“(])", paragraph):
                sentence = re.sub(r"\s+", " ", sentence).strip()
                words = sentence.split()
                if not (6 <= len(words) <= 70) or not sentence.endswith(".") or not sentence[0].isupper():
                    continue
                if any(c in bad for c in sentence) or "http" in sentence or "www." in sentence:
                    continue
                if sum(c.isupper() for c in sentence) > 0.25 * sum(c.isalpha() for c in sentence):
                    continue
                if re.match(r"(RESOLVED|RECOMMENDED|AGREED|RECOMMENDATION)", sentence):
                    continue
                if sentence not in seen:
                    seen.add(sentence)
                    found.append(sentence)
    return found


class Text:
    """New sentences from an order-2 Markov chain over the seed sentences' words."""

    POOL = 12000

    def __init__(self, rng: random.Random, sentences: list[str]) -> None:
        self.rng = rng
        chain: dict[tuple[str, str], list[str]] = {}
        for sentence in sentences:
            words = ["", ""] + sentence.split() + [None]
            for a, b, c in zip(words, words[1:], words[2:]):
                chain.setdefault((a, b), []).append(c)
        self.chain = chain
        self.pool = [self._sentence() for _ in range(self.POOL)]
        self.short = [s[0].lower() + s[1:-1] for s in self.pool if 6 <= len(s.split()) <= 16 and s[1:2].islower()]

    def _sentence(self) -> str:
        while True:
            a, b, words = "", "", []
            while len(words) < 80:
                c = self.rng.choice(self.chain[(a, b)])
                if c is None:
                    break
                words.append(c)
                a, b = b, c
            text = " ".join(words)
            if 6 <= len(words) <= 60 and text.endswith(".") and not text[0].isdigit():
                return text

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(self.pool) for _ in range(self.rng.randint(low, high)))

    def bullets(self) -> str:
        entries = [self.rng.choice(self.short) for _ in range(self.rng.randint(3, 6))]
        return "\n".join(f"- {e};" if i < len(entries) - 1 else f"- {e}." for i, e in enumerate(entries))


# --- The council ---------------------------------------------------------------------------------


@dataclass
class Person:
    slug: str
    name: str
    honorific: str | None = None
    role: str = "councillor"
    party: str | None = None
    ward: str | None = None
    position: str | None = None
    organisation: str | None = None


@dataclass
class Membership:
    person: str
    role: str
    start: dt.date
    end: dt.date | None


@dataclass
class Board:
    slug: str
    name: str
    kind: str
    prefix: str
    parent: str | None
    organisation: str
    venue: str
    start: str
    members: list[Membership] = field(default_factory=list)
    officers: list[str] = field(default_factory=list)


@dataclass
class Decision:
    board: str
    meeting: str
    ref: str
    title: str


@dataclass
class Council:
    slug: str
    name: str
    boards: list[Board]
    councillors: dict[int, list[str]]  # term start year -> councillors in office
    officers: list[str]


def _long(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _lower_first(title: str) -> str:
    """A title inside a sentence: "Revenue budget" becomes "revenue budget", "Hale ..." stays."""
    if title.split(" ", 1)[0] in {place.split()[0] for place in PLACES}:
        return title
    return title[0].lower() + title[1:]


def _fy(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _meeting_day(year: int, month: int, board_index: int) -> dt.date:
    """Each board meets on its own weekday and week of the month."""
    weekday = board_index % 5
    week = (board_index // 5) % 4
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * week)


class Generator:
    def __init__(self, size_name: str, sentences: list[str]) -> None:
        self.size = SIZES[size_name]
        self.rng = random.Random(f"minutes-benchmark-{size_name}")
        self.text = Text(self.rng, sentences)
        self.first_year = LAST_YEAR - self.size.years + 1
        self.people: dict[str, Person] = {}
        self.councils: list[Council] = []
        self.files: dict[str, str] = {}  # path in the site -> text
        self.hugo: dict[str, str] = {}  # path in the Hugo site -> text
        self.counts = {"meetings": 0, "items": 0, "decisions": 0, "exempt": 0, "reports": 0, "xrefs": 0}

    # People --------------------------------------------------------------------------------------

    def _person(self, organisation: str, **facts: object) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            if slug not in self.people:
                break
        self.people[slug] = Person(slug, name, organisation=organisation, **facts)  # type: ignore[arg-type]
        return slug

    def _councillor(self, organisation: str) -> str:
        return self._person(organisation, honorific="Councillor", party=self.rng.choice(PARTIES),
                            ward=self.rng.choice(PLACES))

    # Councils and boards -------------------------------------------------------------------------

    def build(self) -> None:
        for number in range(self.size.councils):
            self.councils.append(self._council(number))
        self.files["site.yaml"] = self._site_yaml()
        for council in self.councils:
            for index, board in enumerate(council.boards):
                self._board_meetings(council, board, index)
        for council in self.councils:
            for board in council.boards:
                self.files[f"content/boards/{board.slug}.md"] = self._board_file(board)
        for person in self.people.values():
            self.files[f"content/people/{person.slug}.md"] = self._person_file(person)

    def _council(self, number: int) -> Council:
        slug, name, prefix = COUNCILS[number]
        size = self.size
        seats = max(12, 2 * size.boards + 10)
        # Elections every four years in May; a quarter of the seats change hands at each.
        terms = sorted({self.first_year} | {y for y in range(2002, LAST_YEAR + 1, 4) if y >= self.first_year})
        in_office = [self._councillor(slug) for _ in range(seats)]
        councillors: dict[int, list[str]] = {}
        for term in terms:
            if term != terms[0]:
                for seat in self.rng.sample(range(seats), seats // 4):
                    in_office[seat] = self._councillor(slug)
            councillors[term] = list(in_office)
        officers = [self._person(slug, role="officer", position=post) for post in OFFICER_POSTS]
        boards = []
        for index in range(size.boards):
            board_name, kind, board_prefix, parent = BOARDS[index]
            board_slug = (f"{slug}-" if number else "") + re.sub(r"[^a-z0-9]+", "-", board_name.lower()).strip("-")
            parent_slug = None
            if parent and any(re.sub(r"[^a-z0-9]+", "-", b[0].lower()).strip("-") == parent for b in BOARDS[:size.boards]):
                parent_slug = (f"{slug}-" if number else "") + parent
            place = self.rng.choice(PLACES)
            board = Board(board_slug, board_name, kind, prefix.upper() + board_prefix, parent_slug, slug,
                          self.rng.choice(("Council Chamber, Runcorn Town Hall", "Civic Suite, Town Hall, Runcorn",
                                           "The Boardroom, Municipal Building, Widnes",
                                           f"Community Centre, {place}")),
                          self.rng.choice(("10:00", "14:00", "18:00", "18:30", "19:00")),
                          officers=self.rng.sample(officers, 3))
            self._memberships(board, councillors, terms)
            boards.append(board)
        return Council(slug, name, boards, councillors, officers)

    def _memberships(self, board: Board, councillors: dict[int, list[str]], terms: list[int]) -> None:
        for number, term in enumerate(terms):
            start = dt.date(term, 1, 1) if number == 0 else dt.date(term, 5, 20)
            end = dt.date(terms[number + 1], 5, 19) if number + 1 < len(terms) else None
            pool = councillors[term]
            if board.kind == "council":
                chosen = list(pool)
            elif board.kind == "individual":
                chosen = self.rng.sample(pool, 1)
            else:
                chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(7, 11)))
            for index, person in enumerate(chosen):
                if board.kind == "individual":
                    role = "Executive Member"
                elif board.kind == "cabinet":
                    role = ("Leader", "Deputy Leader")[index] if index < 2 else "Portfolio Holder"
                elif board.kind == "council":
                    role = ("Mayor", "Deputy Mayor")[index] if index < 2 else "Member"
                else:
                    role = ("Chairman", "Vice-Chairman")[index] if index < 2 else "Member"
                board.members.append(Membership(person, role, start, end))

    def _members_on(self, board: Board, day: dt.date) -> list[Membership]:
        return [m for m in board.members if m.start <= day and (m.end is None or day <= m.end)]

    # Meetings ------------------------------------------------------------------------------------

    def _board_meetings(self, council: Council, board: Board, index: int) -> None:
        days = [_meeting_day(year, month, index) for year in range(self.first_year, LAST_YEAR + 1) for month in MONTHS]
        held = [d for d in days if d < TODAY]
        latest_held = held[-1] if held else None
        previous: dt.date | None = None
        number = 0
        year = None
        history: list[Decision] = []
        for day in days:
            if day.year != year:
                year, number = day.year, 0
            status = "held" if day < TODAY else "scheduled"
            if status == "held" and self.rng.random() < 0.01:
                status = "cancelled"
            minutes = "none"
            if status == "held":
                minutes = "draft" if day == latest_held else "approved"
            number = self._meeting(council, board, day, status, minutes, previous, number, history)
            if status == "held":
                previous = day

    def _meeting(self, council: Council, board: Board, day: dt.date, status: str, minutes: str,
                 previous: dt.date | None, number: int, history: list[Decision]) -> int:
        rng, text = self.rng, self.text
        key = f"{board.slug}/{day.isoformat()}"
        self.counts["meetings"] += 1
        members = self._members_on(board, day)
        front: list[str] = ["---", f"date: {day.isoformat()}"]
        start = board.start
        end_hour = int(start[:2]) + rng.randint(1, 3)
        front += [f'start: "{start}"', f'end: "{end_hour:02d}:{rng.choice((0, 10, 15, 25, 30, 40, 45, 55)):02d}"',
                  f"venue: {q(board.venue)}", f"status: {status}", f"minutes: {minutes}"]
        body: list[str] = []
        items_facts: list[str] = []
        documents: list[str] = []
        declarations: list[str] = []
        reports: dict[str, str] = {}
        present: list[str] = []
        media = status == "held" and day.year >= 2020 and rng.random() < 0.5
        if status == "cancelled":
            body.append(f"This meeting was cancelled. {text.sentences(1, 1)}")
        elif status == "held":
            apologies, substitutes = [], []
            for m in members:
                (present if rng.random() < 0.86 or board.kind == "individual" else apologies).append(m)
            if not present and members:
                present, apologies = [members[0]], [m for m in members if m is not members[0]]
            present_slugs = [m.person for m in present]
            others = [p for p in council.councillors[max(t for t in council.councillors if t <= day.year)]
                      if p not in present_slugs and p not in [m.person for m in apologies]]
            if apologies and others and rng.random() < 0.3 and board.kind not in ("council", "individual"):
                absent = rng.choice(apologies)
                substitutes.append((rng.choice(others), self.people[absent.person].name))
            front.append("present:")
            for m in present:
                if m.role in ("Chairman", "Leader", "Mayor"):
                    front.append(f"  - {{person: {m.person}, role: {m.role}}}")
                else:
                    front.append(f"  - {m.person}")
            if apologies:
                front.append(f"apologies: [{', '.join(m.person for m in apologies)}]")
            if substitutes:
                front.append("substitutes:")
                for who, instead in substitutes:
                    front.append(f"  - {{person: {who}, role: {q('substitute for Councillor ' + instead)}}}")
            front.append("in_attendance:")
            for officer in board.officers[: rng.randint(1, 3)]:
                front.append(f"  - {officer}")
            if rng.random() < 0.2:
                front.append(f"  - {{name: {q(rng.choice(FIRST) + ' ' + rng.choice(LAST))}, role: {q(rng.choice(PARTNERSHIPS))}}}")
        # Items ---------------------------------------------------------------------------------
        if status != "cancelled":
            if status == "held" and rng.random() < 0.6:
                body.append(f"{text.sentences(1, 2)}")
            agenda = status != "held"
            number += 1
            ref = f"{board.prefix}{number}"
            body.append(f"## {ref} Minutes")
            if previous and not agenda:
                body.append(f"The Minutes of the meeting held on {_long(previous)} "
                            f"([[{board.slug}/{previous.isoformat()}]]) were taken as read and signed as a correct record.")
                self.counts["xrefs"] += 1
            elif agenda:
                body.append("To confirm the minutes of the previous meeting.")
            else:
                body.append("The Minutes of the previous meeting were taken as read and signed as a correct record.")
            self.counts["items"] += 1
            substantive = rng.randint(3, 7)
            declare_on = None
            if rng.random() < 2 / 3:
                number += 1
                self.counts["items"] += 1
                body.append(f"## {board.prefix}{number} Declarations of interest")
                body.append("Members were reminded of their responsibility to declare any Disclosable Pecuniary "
                            "Interest or Other Disclosable Interest which they have in any item of business on the "
                            "agenda, no later than when that item is reached or as soon as the interest becomes apparent.")
                if not agenda and present and rng.random() < 0.15 and board.kind != "individual":
                    declare_on = rng.randrange(substantive)
            offset = 60 * rng.randint(2, 6)
            topics = rng.sample(TOPICS, substantive)
            for position in range(substantive):
                number += 1
                ref = f"{board.prefix}{number}"
                self.counts["items"] += 1
                title, matter = self._topic(board, day, topics[position])
                key_decision = board.kind in ("cabinet", "individual", "council") and rng.random() < 0.3
                facts: list[str] = []
                flags = " {.key-decision}" if key_decision and rng.random() < 0.7 else ""
                if key_decision and not flags:
                    facts.append("key_decision: true")
                body.append(f"## {ref} {title}{flags}")
                body.append(f"The Board received a report of the {self.people[rng.choice(board.officers)].position} "
                            f"on {_lower_first(title)}. {text.sentences(0, 2)}".rstrip())
                for _ in range(rng.randint(1, 4)):
                    body.append(text.sentences(1, 4))
                if rng.random() < 0.25:
                    body.append(f"{text.sentences(1, 1)[:-1]}, including:")
                    body.append(text.bullets())
                if history and rng.random() < 0.2:
                    earlier = rng.choice(history[-60:])
                    body.append(f"The Board noted its earlier decision on {_lower_first(earlier.title)} "
                                f"([[{earlier.board}/{earlier.meeting}#{earlier.ref}]]). {text.sentences(0, 1)}".rstrip())
                    self.counts["xrefs"] += 1
                if present and not agenda and rng.random() < 0.1:
                    who = rng.choice(present).person
                    body.append(f"In response to a question from [[people/{who}]], {text.sentences(1, 1)[0].lower()}"
                                f"{text.sentences(1, 1)[1:]}")
                    self.counts["xrefs"] += 1
                if agenda:
                    body.append(f"To consider a report of the {self.people[rng.choice(board.officers)].position}.")
                elif rng.random() < 0.97:
                    if key_decision:
                        body.append("### Reasons for decision")
                        body.append(text.sentences(1, 3))
                        body.append("### Alternative options considered and rejected")
                        body.append(text.sentences(1, 2))
                        body.append("### Implementation date")
                        body.append(f"The decision will be implemented from {_long(day + dt.timedelta(days=rng.randint(10, 90)))}.")
                        facts.append(f"call_in: {{deadline: {(day + dt.timedelta(days=7)).isoformat()}, status: not called in}}")
                        facts.append(f"effective_from: {(day + dt.timedelta(days=8)).isoformat()}")
                    body.append(self._resolution(board, title, day))
                    self.counts["decisions"] += 1
                    history.append(Decision(board.slug, day.isoformat(), ref, title))
                    if rng.random() < 0.15 and len(present) > 2:
                        against = rng.randint(0, len(present) // 3)
                        abstain = rng.randint(0, 1)
                        facts.append(f"votes: {{for: {len(present) - against - abstain}, against: {against}, abstain: {abstain}}}")
                if matter:
                    facts.append(f"matter: {matter}")
                if rng.random() < 0.1:
                    facts.append(f"wards: [{q(rng.choice(PLACES))}]")
                if media:
                    offset += rng.randint(300, 1800)
                    facts.append(f'media_offset: "{offset // 3600:02d}:{offset // 60 % 60:02d}:{offset % 60:02d}"')
                if facts:
                    items_facts.append(f"  {ref}: {{{', '.join(facts)}}}")
                if rng.random() < 0.3:
                    documents.append(f"  - {{title: {q('Report: ' + title)}, url: \"https://www.example.gov.uk/documents/"
                                     f"{board.slug}/{day.isoformat()}/{ref.lower()}.pdf\", item: {ref}}}")
                if not agenda and rng.random() < 0.02:
                    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50].strip("-")
                    if slug not in reports:
                        reports[slug] = self._report(board, day, ref, title)
                        documents.append(f"  - {{file: {slug}.md, item: {ref}}}")
                if declare_on == position:
                    who = rng.choice(present).person
                    interest = rng.choice(("Disclosable pecuniary interest", "Other disclosable interest", "Personal interest"))
                    declarations.append(f"  - {{person: {who}, item: {ref}, interest: {interest}, "
                                        f"note: {q('Member of the ' + rng.choice(PARTNERSHIPS))}}}")
            if status == "held" and rng.random() < 0.1:
                number += 1
                self.counts["items"] += 1
                self.counts["exempt"] += 1
                title = self._fill(rng.choice(EXEMPT_TITLES), day)
                body.append(f"## {board.prefix}{number} {title} {{.exempt paragraph={rng.choice((1, 3, 3, 3, 5))}}}")
        if declarations:
            front += ["declarations:", *declarations]
        if documents:
            front += ["documents:", *documents]
        if media:
            front += ["media:", f"  - {{title: Webcast of the meeting, url: \"https://www.youtube.com/watch?v="
                                f"{''.join(rng.choice('abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789') for _ in range(11))}\"}}"]
        if items_facts:
            front += ["items:", *items_facts]
        front.append("---")
        content = "\n".join(front) + "\n" + "\n\n".join(body) + "\n"
        if reports:
            self.files[f"content/meetings/{key}/index.md"] = content
            for slug, report in reports.items():
                self.files[f"content/meetings/{key}/{slug}.md"] = report
                self.counts["reports"] += 1
        else:
            self.files[f"content/meetings/{key}.md"] = content
        self._hugo_meeting(board, day, status, minutes, front, body)
        return number

    def _fill(self, template: str, day: dt.date, topic: str = "") -> str:
        rng = self.rng
        return template.format(q=rng.randint(1, 4), fy=_fy(day.year if day.month > 3 else day.year - 1),
                               service=rng.choice(SERVICES), place=rng.choice(PLACES), yy=f"{day.year % 100:02d}",
                               num=f"{rng.randint(1, 999):05d}", year=day.year, year3=day.year + 3, year4=day.year + 4,
                               partnership=rng.choice(PARTNERSHIPS), money=f"£{rng.randint(20, 900) * 1000:,}",
                               topic=topic, post=rng.choice(OFFICER_POSTS))

    def _topic(self, board: Board, day: dt.date, topic: tuple[str, str | None, str | None]) -> tuple[str, str | None]:
        template, matter, scope = topic
        title = self._fill(template, day)
        title = title[0].upper() + title[1:]
        if matter and scope == "board":
            matter = f"{board.slug}-{matter}"
        elif matter:
            matter = f"{board.organisation}-{matter}"
        return title, matter

    def _resolution(self, board: Board, title: str, day: dt.date) -> str:
        rng = self.rng
        kind = "RESOLVED"
        if board.parent and rng.random() < 0.3:
            kind = "RECOMMENDED"
        elif board.kind in ("panel", "partnership") and rng.random() < 0.3:
            kind = "AGREED"
        topic = _lower_first(title)
        clauses = [self._fill(c, day, topic) for c in rng.sample(RESOLUTION_CLAUSES, rng.randint(1, 4))]
        if len(clauses) == 1:
            return f"{kind}: That {clauses[0]}."
        lines = [f"{n}. {c}{'; and' if n == len(clauses) - 1 else (';' if n < len(clauses) else '.')}"
                 for n, c in enumerate(clauses, 1)]
        return f"{kind}: That\n\n" + "\n".join(lines)

    def _report(self, board: Board, day: dt.date, ref: str, title: str) -> str:
        rng, text = self.rng, self.text
        author = self.people[rng.choice(board.officers)].position
        parts = ["---", f"title: {q(title)}", f"item: {ref}", f"author: {q(author)}", f"date: {day.isoformat()}",
                 f"wards: [{q(rng.choice(PLACES))}]", "---"]
        sections = ("Purpose of the report", "Recommendation", "Supporting information", "Policy implications",
                    "Financial implications", "Risk analysis", "Equality and diversity issues")
        out = []
        for n, heading in enumerate(sections, 1):
            out.append(f"## {n}.0 {heading}")
            for _ in range(rng.randint(1, 3)):
                out.append(text.sentences(1, 4))
        return "\n".join(parts) + "\n" + "\n\n".join(out) + "\n"

    # Files ---------------------------------------------------------------------------------------

    def _site_yaml(self) -> str:
        lines = [f"title: {q(self.councils[0].name + ' meeting records')}", f"organisation: {self.councils[0].slug}"]
        if len(self.councils) > 1:
            lines.append("organisations:")
            lines += [f"  {c.slug}: {q(c.name)}" for c in self.councils]
        lines += ["base_url: https://records.example.org/", "language: en-GB", "timezone: Europe/London",
                  "contact: \"Democratic Services, Municipal Building, Widnes WA8 7QF\"",
                  "licence: Synthetic records generated for Minutes' performance benchmark."]
        return "# A synthetic council made by benchmarks/make_corpus.py\n" + "\n".join(lines) + "\n"

    def _board_file(self, board: Board) -> str:
        lines = ["---", f"name: {q(board.name)}", f"kind: {board.kind}", f"organisation: {board.organisation}",
                 f"minute_prefix: {board.prefix}", f"venue: {q(board.venue)}", f'start: "{board.start}"']
        if board.parent:
            lines.append(f"parent: {board.parent}")
        lines.append(f"contact: {q(self.people[board.officers[-1]].name + ', Democratic Services')}")
        lines.append("members:")
        for m in board.members:
            entry = f"  - {{person: {m.person}, role: {q(m.role)}, from: {m.start.isoformat()}"
            entry += f", to: {m.end.isoformat()}}}" if m.end else "}"
            lines.append(entry)
        lines.append("---")
        remit = f"The {board.name} of {dict((c[0], c[1]) for c in COUNCILS)[board.organisation]}. {self.text.sentences(2, 4)}"
        return "\n".join(lines) + "\n" + remit + "\n"

    def _person_file(self, person: Person) -> str:
        lines = ["---", f"name: {q(person.name)}"]
        if person.honorific:
            lines.append(f"honorific: {person.honorific}")
        if person.party:
            lines.append(f"party: {person.party}")
        if person.ward:
            lines.append(f"ward: {q(person.ward)}")
        lines.append(f"role: {person.role}")
        if person.position:
            lines.append(f"position: {q(person.position)}")
        lines.append(f"organisation: {person.organisation}")
        lines.append("---")
        bio = f"{person.name} represents {person.ward} ward.\n" if person.ward else ""
        return "\n".join(lines) + "\n" + bio

    # The same meetings for Hugo ------------------------------------------------------------------

    _XREF = re.compile(r"\[\[([^\[\]|]+?)\]\]")

    def _hugo_link(self, match: re.Match[str]) -> str:
        target = match.group(1)
        if target.startswith("people/"):
            return self.people[target[7:]].name
        path, _, anchor = target.partition("#")
        return f"[{path}{' ' + anchor if anchor else ''}](/meetings/{path}/{'#' + anchor.lower() if anchor else ''})"

    def _hugo_meeting(self, board: Board, day: dt.date, status: str, minutes: str, front: list[str],
                      body: list[str]) -> None:
        """The meeting for Hugo: the same front matter (Hugo keeps unknown keys as .Params),
        with a title, and the body with cross-references as ordinary Markdown links."""
        title = f"{board.name}, {_long(day)}"
        head = ["---", f"title: {q(title)}", *front[1:]]
        text = "\n\n".join(body)
        self.hugo[f"content/meetings/{board.slug}/{day.isoformat()}.md"] = (
            "\n".join(head) + "\n" + self._XREF.sub(self._hugo_link, text) + "\n")

    def hugo_files(self) -> dict[str, str]:
        files = dict(self.hugo)
        files["hugo.toml"] = (f"baseURL = \"https://records.example.org/\"\ntitle = {q(self.councils[0].name + ' meeting records')}\n"
                              "languageCode = \"en-GB\"\n"
                              "disableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotsTXT\", \"404\"]\n")
        files["content/_index.md"] = "---\ntitle: Meeting records\n---\n"
        files["content/meetings/_index.md"] = "---\ntitle: Boards\n---\n"
        for council in self.councils:
            for board in council.boards:
                remit = self.files[f"content/boards/{board.slug}.md"].rsplit("---\n", 1)[1]
                files[f"content/meetings/{board.slug}/_index.md"] = f"---\ntitle: {q(board.name)}\n---\n{remit}"
        people = {p.slug: {"name": p.name, "honorific": p.honorific or ""} for p in self.people.values()}
        files["data/people.json"] = json.dumps(people, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
        return files


def write_tree(root: Path, files: dict[str, str]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for rel, text in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def load_sentences() -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def make(size: str, site: Path, hugo: Path | None = None) -> dict[str, int]:
    """Write the corpus of `size` into `site` (and the Hugo site into `hugo`); returns counts."""
    generator = Generator(size, load_sentences())
    generator.build()
    write_tree(site, generator.files)
    if hugo is not None:
        write_tree(hugo, generator.hugo_files())
    counts = dict(generator.counts)
    counts["boards"] = sum(len(c.boards) for c in generator.councils)
    counts["people"] = len(generator.people)
    counts["content_bytes"] = sum(len(t.encode()) for p, t in generator.files.items() if p.startswith("content/"))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", choices=sorted(SIZES))
    parser.add_argument("site", nargs="?", type=Path, help="the folder to write the site into (replaced)")
    parser.add_argument("--hugo", type=Path, help="also write the same meetings as a Hugo site here (replaced)")
    parser.add_argument("--refresh-sentences", type=Path, metavar="SEED_DIR",
                        help="re-extract seed_sentences.txt from the seed documents in SEED_DIR, then stop")
    args = parser.parse_args(argv)
    if args.refresh_sentences:
        found = extract_sentences(args.refresh_sentences)
        header = ("# Sentences of running text from the five seed documents (real council records), one a line;\n"
                  "# made by `python benchmarks/make_corpus.py --refresh-sentences shared/seeds`.\n")
        SENTENCES.write_text(header + "\n".join(found) + "\n", encoding="utf-8")
        print(f"{len(found)} sentences written to {SENTENCES}")
        return 0
    if not args.size or not args.site:
        parser.error("give a SIZE and a DIR")
    started = time.perf_counter()
    counts = make(args.size, args.site, args.hugo)
    print(f"{args.size}: {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
