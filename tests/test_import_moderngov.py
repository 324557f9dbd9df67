"""`minutes import moderngov`, against a web service on 127.0.0.1 answering with recorded
responses (tests/fixtures/moderngov/): the service's quirks, restricted items never written,
importing again, a clerk's edits kept, and slow, failing and hostile servers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build, check, full_records
from moderngov_server import RECORDINGS, Service, moderngov_service
from pages import page

from generator.build import check_site
from generator.commands.cli import main
from generator.importing import moderngov as service_module
from generator.importing.moderngov import Client, ServiceError, service_root
from generator.importing.run import import_moderngov
from generator.commands.scaffold import init_site

EPOCH_2026 = "1772323200"  # 1 March 2026: the recorded meetings of February have been held
SECRETS = ("SECRET", "valuation is", "Heads of terms", "sold to the bidder", "Private Home Street", "01234 567890",
           "sample.member@")


@pytest.fixture(autouse=True)
def march_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026)
    monkeypatch.setattr(service_module, "PACE", 0.0)


@pytest.fixture
def service() -> Iterator[Service]:
    with moderngov_service() as running:
        yield running


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "manchester"
    init_site(root, organisation="Manchester City Council", base_url="https://records.example.org/")
    return root


def run_import(site: Path, service: Service, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", "moderngov", service.url, "--site", str(site), "--from", "2025-01-01",
                 "--to", "2026-12-31", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def meeting_file(site: Path, name: str) -> str:
    return (site / "content" / "meetings" / "audit-committee" / name).read_text(encoding="utf-8")


# --- The whole import --------------------------------------------------------------------------

def test_import_writes_a_site_that_passes_check_and_builds(site: Path, service: Service, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_import(site, service, capsys=capsys)
    assert code == 0, out + err
    assert not check(site).has_errors, check(site).sorted()
    written = sorted(files(site))
    assert "content/boards/audit-committee.md" in written
    assert {"content/meetings/audit-committee/2026-01-13.md", "content/meetings/audit-committee/2026-02-10.md",
            "content/meetings/audit-committee/2026-02-17.md"} <= set(written)
    assert {"content/people/basil-curley.md", "content/people/sample-member.md", "content/people/ann-example.md",
            "content/people/jo-officer.md"} <= set(written)
    assert "Imported 3 of 3 meetings" in err  # progress, as plain lines when not on a terminal
    result = build(site, tmp_path / "output")
    assert result.ok, result.diagnostics.sorted()
    held = page(tmp_path / "output", "/boards/audit-committee/2026-02-17/")
    assert "Fees & Charges 2026/27" in held.get_text()
    assert held.find(string=re.compile("the charges be reviewed in a year"))


def test_meetings_carry_date_time_venue_status_items_and_documents(site: Path, service: Service,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    meetings = {m.slug: m for m in full_records(site).meetings}
    cancelled, minuted, held = meetings["2026-01-13"], meetings["2026-02-10"], meetings["2026-02-17"]
    assert cancelled.status == "cancelled" and cancelled.minutes == "none"
    assert (minuted.start, minuted.venue) == ("10:00", "Council Antechamber, Level 2, Town Hall Extension")
    assert (held.start, held.end) == ("14:00", "15:45")  # "2.00 pm" and "3.45 pm"
    assert minuted.status == "held" and minuted.minutes == "draft"
    assert [(i.ref, i.title) for i in minuted.items] == [("1", "Minutes"), ("9", "Work Programme")]
    # The minutes text where published, as clean Markdown: no Word classes, no empty spans.
    assert minuted.items[0].text.text == "To approve the minutes of the meeting held on 25 November 2025 as a correct record."
    assert [(d.title, d.url, d.item) for d in minuted.documents] == [
        ("6 - CHAIR APPROVED Minutes Audit Committee 25 Nov 2025",
         "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60860", "1"),
        ("DRAFT WP FEBRUARY 2026", "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60909", "9")]
    fees = held.items[0]
    assert (fees.ref, fees.title) == ("10", "Fees & Charges 2026/27")  # escaped twice by the service
    assert fees.resolution is not None and fees.resolution.text.text == (
        "RESOLVED: That\n\n1. the fees set out in the report be approved; and\n2. the charges be reviewed in a year.")
    text = meeting_file(site, "2026-02-17.md")
    assert "MsoNormal" not in text and "<span" not in text and "o:p" not in text and "mso" not in text


def test_expected_means_invited_never_present(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    linked, _ = check_site(site)
    assert linked is not None
    meetings = {m.slug: m for m in linked.site.meetings}
    held = meetings["2026-02-17"]
    assert [(a.person, a.role) for a in held.present] == [("basil-curley", "Chair")]
    assert [a.person for a in held.apologies] == ["ann-example"]
    assert [a.person for a in held.substitutes] == ["sam-standby"]
    assert [(a.person, a.role) for a in held.in_attendance] == [("jo-officer", "Head of Audit and Risk Management")]
    assert not meetings["2026-02-10"].present and not meetings["2026-01-13"].present  # only "Expected" there
    board = linked.site.boards["audit-committee"]
    members = {m.person: m for m in board.members}
    # Everyone the meetings expected is a member; substitutes and officers are not.
    assert set(members) == {"basil-curley", "ann-example", "nia-invited"}
    assert members["basil-curley"].start == dt.date(2026, 1, 13) and members["basil-curley"].end is None
    assert members["basil-curley"].role == "Chair"


def test_councillors_keep_their_public_details_only(site: Path, service: Service,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    linked, _ = check_site(site)
    assert linked is not None
    person = linked.site.people["basil-curley"]
    assert (person.honorific, person.name, person.party, person.ward, person.role) == (
        "Councillor", "Basil Curley", "Labour", "Charlestown", "councillor")
    sample = (site / "content/people/sample-member.md").read_text(encoding="utf-8")
    assert "Private Home Street" not in sample and "@" not in sample and "01234" not in sample


def test_restricted_items_are_headings_and_nothing_of_them_is_written(site: Path, service: Service, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_import(site, service, capsys=capsys)
    assert code == 0
    held = next(m for m in full_records(site).meetings if m.slug == "2026-02-17")
    exempt = held.items[1]
    assert (exempt.ref, exempt.title, exempt.exempt_paragraph, exempt.text) == ("11", "Disposal of land at Moor Lane", 3, None)
    assert "## 11 Disposal of land at Moor Lane {.exempt paragraph=3}\n" in meeting_file(site, "2026-02-17.md")
    assert [d.title for d in held.documents] == ["Fees and Charges report"]  # the restricted appendix is left out
    assert "1 item written as headings only, 2 restricted papers left out" in out
    assert build(site, tmp_path / "output").ok
    for root in (site, tmp_path / "output"):  # nowhere: not in records, the build cache or the site
        for rel, data in files(root).items():
            for secret in SECRETS:
                assert secret.encode() not in data, f"{secret!r} in {rel}"
    for secret in SECRETS:
        assert secret not in out
    assert not service.calls("mgConvert2PDF.aspx")


def test_a_restricted_item_without_its_paragraph_tells_the_clerk_what_to_fill_in(
        site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    recording = (RECORDINGS / "GetMeeting-4968.xml").read_text(encoding="utf-8")
    service.answers["GetMeeting-4968"] = re.sub(r"<restrictionsRef>[^<]*</restrictionsRef>", "<restrictionsRef />",
                                                recording).encode()
    code, out, _ = run_import(site, service, capsys=capsys)
    assert code == 0
    rel = "content/meetings/audit-committee/2026-02-17.md"
    assert f"{rel}: 11 Disposal of land at Moor Lane: ModernGov does not say under which paragraph" in out
    lines = (site / rel).read_text(encoding="utf-8").split("\n")
    line = lines.index("## 11 Disposal of land at Moor Lane {.exempt}") + 1
    [problem] = check(site).sorted()
    assert (problem.path, problem.line) == (rel, line)
    assert "paragraph (1 to 7) of Schedule 12A" in problem.message and "{.exempt paragraph=3}" in problem.hint


def test_the_summary_says_what_the_service_does_not_hold(site: Path, service: Service,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_import(site, service, capsys=capsys)
    assert "votes, and declarations of interest (1 item record some" in out
    assert "The minutes of 2 meetings were imported as draft" in out
    assert "1 held meeting list only who was expected" in out  # 10 February: attendance not recorded


def test_the_requests_are_the_documented_gets(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, "--committee", "144", capsys=capsys)
    assert service.calls("GetMeetings") == [
        "/mgWebService.asmx/GetMeetings?lCommitteeId=144&sFromDate=01%2F01%2F2025&sToDate=31%2F12%2F2026"]
    assert sorted(service.calls("GetMeeting")) == [f"/mgWebService.asmx/GetMeeting?lMeetingId={n}" for n in (4966, 4967, 4968)]
    assert service.calls("GetCommittees") and service.calls("GetCouncillorsByWard")


def test_an_unknown_committee_is_a_usage_error(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_import(site, service, "--committee", "999", capsys=capsys)
    assert code == 2
    assert "no committee 999" in err and "144 Audit Committee" in err


# --- Importing again -------------------------------------------------------------------------------

def test_a_second_import_changes_no_byte(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    before = {rel: (data, (site / rel).stat().st_mtime_ns) for rel, data in files(site).items()}
    code, out, _ = run_import(site, service, capsys=capsys)
    assert code == 0
    assert {rel: (data, (site / rel).stat().st_mtime_ns) for rel, data in files(site).items()} == before
    assert "0 files new, 0 updated" in out


def test_importing_again_updates_the_same_file(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    recording = (RECORDINGS / "GetMeeting-4968.xml").read_bytes()
    service.answers["GetMeeting-4968"] = recording.replace(b"Council Antechamber", b"Council Chamber")
    before = set(files(site))
    _, out, _ = run_import(site, service, capsys=capsys)
    assert set(files(site)) == before  # no duplicate
    assert "venue: Council Chamber, Level 2" in meeting_file(site, "2026-02-17.md")
    assert "0 files new, 1 updated" in out


def test_a_file_changed_by_a_clerk_is_left_alone_and_reported(site: Path, service: Service,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    run_import(site, service, capsys=capsys)
    path = site / "content/meetings/audit-committee/2026-02-10.md"
    edited = path.read_text(encoding="utf-8").replace("minutes: draft", "minutes: approved")
    path.write_text(edited, encoding="utf-8")
    recording = (RECORDINGS / "GetMeeting-4967.xml").read_bytes()
    service.answers["GetMeeting-4967"] = recording.replace(b"Work Programme</agendaitemtitle>", b"Work Plan</agendaitemtitle>")
    code, out, _ = run_import(site, service, capsys=capsys)
    assert code == 0
    assert path.read_text(encoding="utf-8") == edited
    assert "changed since it was imported: content/meetings/audit-committee/2026-02-10.md" in out
    assert not check(site).has_errors


def test_records_typed_by_hand_are_used_not_replaced(site: Path, service: Service, capsys: pytest.CaptureFixture[str]) -> None:
    mine = "---\nname: Basil Curley\nhonorific: Councillor\nward: Charlestown\n---\nChair since 2020.\n"
    (site / "content/people/basil-curley-cllr.md").write_text(mine, encoding="utf-8")
    run_import(site, service, capsys=capsys)
    assert (site / "content/people/basil-curley-cllr.md").read_text(encoding="utf-8") == mine
    assert not (site / "content/people/basil-curley.md").exists()
    assert "- {person: basil-curley-cllr, role: Chair}" in meeting_file(site, "2026-02-17.md")
    assert not check(site).has_errors


# --- Slow, failing and hostile servers -----------------------------------------------------------

def test_a_server_that_times_out_is_named_and_the_import_goes_on_when_run_again(
        site: Path, service: Service) -> None:
    service.delays["GetMeeting-4968"] = 1.0
    client = Client(service.url, timeout=0.2, tries=2, pace=0, sleep=lambda _: None)
    summary = import_moderngov(site, client, committees=["144"], start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    assert summary.failed is not None
    assert summary.failed.request == "GetMeeting?lMeetingId=4968"
    assert summary.failed.message == "no answer within 0.2 seconds, after 2 tries"
    assert "run the same command again to go on" in summary.lines()[-1]
    assert (site / "content/meetings/audit-committee/2026-02-10.md").is_file()  # read before the failure: written
    assert not check(site).has_errors  # what was written is a whole site
    service.delays.clear()
    again = import_moderngov(site, Client(service.url, pace=0), committees=["144"], start=dt.date(2025, 1, 1),
                             end=dt.date(2026, 12, 31))
    assert again.failed is None
    assert (site / "content/meetings/audit-committee/2026-02-17.md").is_file()
    assert not check(site).has_errors


def test_the_command_line_names_the_failing_request(site: Path, service: Service, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(service_module, "TRIES", 1)
    service.answers["GetCommittees"] = b"<committees><committee>"
    code, out, _ = run_import(site, service, capsys=capsys)
    assert code == 1
    assert "the request GetCommittees failed: the answer is not well-formed XML" in out


def test_malformed_xml_is_tried_again_then_reported(service: Service) -> None:
    service.answers["GetMeeting-4967"] = b"<meeting><agendaitems><agendaitem>"
    waits: list[float] = []
    with pytest.raises(ServiceError) as failure:
        Client(service.url, pace=0, tries=3, sleep=waits.append).meeting("4967")
    assert failure.value.request == "GetMeeting?lMeetingId=4967"
    assert "not well-formed XML" in failure.value.message and "after 3 tries" in failure.value.message
    assert len(service.calls("GetMeeting")) == 3 and waits == [2.0, 4.0]


def test_a_failing_server_is_tried_again(service: Service) -> None:
    service.answers["GetCommittees"] = lambda calls: 503 if calls == 1 else None  # busy, then the recording
    committees = Client(service.url, pace=0, sleep=lambda _: None).committees()
    assert [c.id for c in committees] == ["312", "163", "144"]
    assert len(service.calls("GetCommittees")) == 2


def test_a_server_error_is_tried_again_and_named(service: Service) -> None:
    with pytest.raises(ServiceError) as failure:
        Client(service.url, pace=0, tries=2, sleep=lambda _: None).meeting("1234")  # no recording: error 500
    assert failure.value.request == "GetMeeting?lMeetingId=1234"
    assert failure.value.message == "the server answered 500 Internal Server Error, after 2 tries"
    assert len(service.calls("GetMeeting")) == 2


def test_entities_are_refused(service: Service) -> None:
    service.answers["GetCommittees"] = (b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa">'
                                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><committees>&b;</committees>')
    with pytest.raises(ServiceError, match="XML features that could attack"):
        Client(service.url, pace=0).committees()
    service.answers["GetCommittees"] = (b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                        b'<committees>&x;</committees>')
    with pytest.raises(ServiceError, match="XML features that could attack"):
        Client(service.url, pace=0).committees()


def test_a_huge_answer_is_not_read(service: Service) -> None:
    service.answers["GetCommittees"] = b"<committees>" + b" " * 5000 + b"</committees>"
    with pytest.raises(ServiceError, match="larger than"):
        Client(service.url, pace=0, max_response=4096).committees()


def test_requests_are_spaced(service: Service) -> None:
    waits: list[float] = []
    client = Client(service.url, pace=0.5, sleep=waits.append)
    client.committees()
    client.councillors()
    client.meetings("144", dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert len(waits) == 2 and all(0.3 < wait <= 0.5 for wait in waits)


# --- Reading the service's answers -------------------------------------------------------------------

def test_the_recorded_quirks_are_read(service: Service) -> None:
    client = Client(service.url + "/mgWebService.asmx", pace=0)
    assert [(c.id, c.title, c.expired) for c in client.committees()] == [
        ("312", "Appointment Sub Committee for Director of Adult Social Services", True),
        ("163", "Art Galleries Committee", False), ("144", "Audit Committee", False)]
    meetings = client.meetings("144", dt.date(2026, 1, 1), dt.date(2026, 2, 12))  # padded counts; one out of range
    assert [(m.id, m.date) for m in meetings] == [("4966", dt.date(2026, 1, 13)), ("4967", dt.date(2026, 2, 10))]
    held = client.meeting("4968")
    fees, land = held.items
    assert (fees.title, fees.number, fees.declarations, fees.restricted_documents) == ("Fees & Charges 2026/27", "10", 1, 1)
    assert (land.restricted, land.paragraph, land.minutes_html, land.agenda_html, land.documents) == (True, 3, None, None, ())
    assert [a.attendance for a in held.attendees] == ["Present", "Apologies", "Present as substitute", "Expected",
                                                      "In attendance"]


@pytest.mark.parametrize(("written", "expected"), [
    ("10.00 am", "10:00"), ("2.00 pm", "14:00"), ("6.30pm", "18:30"), ("12.00 pm", "12:00"), ("12 noon", "12:00"),
    ("12.15 am", "00:15"), ("18:30", "18:30"), ("", None), ("TBC", None)])
def test_times_are_read_as_the_service_writes_them(written: str, expected: str | None) -> None:
    assert service_module._time(written) == expected


@pytest.mark.parametrize(("given", "root"), [
    ("https://democracy.example.gov.uk", "https://democracy.example.gov.uk"),
    ("https://democracy.example.gov.uk/", "https://democracy.example.gov.uk"),
    ("https://democracy.example.gov.uk/mgWebService.asmx", "https://democracy.example.gov.uk"),
    ("https://example.gov.uk/democracy/mgCommitteeDetails.aspx", "https://example.gov.uk/democracy")])
def test_the_site_may_be_given_as_any_of_its_addresses(given: str, root: str) -> None:
    assert service_root(given) == root


def test_a_site_that_is_not_a_web_address_is_a_usage_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "moderngov", "democracy.example.gov.uk", "--site", str(site)]) == 2
    assert "is not a web address" in capsys.readouterr().err


# --- Downloading papers --------------------------------------------------------------------------

def test_download_puts_public_papers_in_the_meetings_folder(site: Path, service: Service, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    service.local_papers = True
    code, out, _ = run_import(site, service, "--download", capsys=capsys)
    assert code == 0, out
    folder = site / "content/meetings/audit-committee/2026-02-17"
    assert sorted(p.name for p in folder.iterdir()) == ["fees-and-charges-report.pdf", "index.md"]
    assert "file: fees-and-charges-report.pdf" in (folder / "index.md").read_text(encoding="utf-8")
    assert not any("61002" in r or "61003" in r for r in service.requests)  # restricted papers never asked for
    assert not check(site).has_errors
    assert build(site, tmp_path / "output").ok
    before = files(site)
    run_import(site, service, "--download", capsys=capsys)
    assert files(site) == before


def test_papers_on_another_site_are_linked_not_downloaded(site: Path, service: Service,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_import(site, service, "--download", "--committee", "144", capsys=capsys)  # recorded addresses
    assert code == 0
    assert "the paper at https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=61001 is on another site" in out
    folder = site / "content/meetings/audit-committee/2026-02-17"
    assert [p.name for p in folder.iterdir()] == ["index.md"]
    assert 'url: "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=61001"' in (folder / "index.md").read_text(encoding="utf-8")
    assert not check(site).has_errors
