"""`minutes serve`: rebuilds when files change, tells browsers, shows errors over the last good site."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from conftest import make_site
from generator.build import Builder, build_site

MEETING = "content/meetings/planning-committee/2020-01-15.md"


class Preview:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "generator", "serve", "--site", str(site), "--port", "0", "-j", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        while True:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            assert line, "the preview stopped: " + "".join(self.lines)
            self.lines.append(line)
            found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                break

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Events:
    """A browser's view of the preview's event stream."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        self.connection.request("GET", "/__minutes/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> tuple[str, dict]:
        name, data = "", {}
        while True:
            line = self.response.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: "):])
            elif line == "" and name:
                return name, data

    def built(self) -> tuple[str, dict]:
        """The next event that ends a build, skipping the announcements of pages shown ahead."""
        while True:
            name, data = self.next()
            if name != "reload" or data["complete"]:
                return name, data


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    running = Preview(make_site(tmp_path / "site", {}))
    yield running
    running.stop()


def edit(site: Path, old: str, new: str) -> None:
    path = site / MEETING
    path.write_text(path.read_text().replace(old, new))


def test_pages_get_the_preview_script_and_missing_pages_the_404_page(preview: Preview) -> None:
    status, page = preview.get("/boards/planning-committee/2020-01-15/")
    assert status == 200 and '<script src="/__minutes/live.js" defer></script>' in page
    status, missing = preview.get("/no/such/page/")
    assert status == 404 and "Page not found" in missing
    status, script = preview.get("/__minutes/live.js")
    assert status == 200 and "EventSource" in script
    assert "/__minutes/" not in (preview.site / "output/index.html").read_text()  # never in the published files


def test_a_change_rebuilds_and_tells_the_browser_to_reload(preview: Preview) -> None:
    events = Events(preview.port)
    assert events.next()[0] == "hello"
    edit(preview.site, "Land at Mill Lane", "Land at Mill Road")
    name, data = events.built()
    assert name == "reload" and data["generation"] == 2
    assert "Mill Road" in preview.get("/boards/planning-committee/2020-01-15/")[1]


def test_the_edited_page_is_shown_before_the_rest_of_the_site_is_built(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    edit(preview.site, "twelve homes", "eleven homes")
    name, first = events.next()
    assert (name, first["complete"]) == ("reload", False)
    assert first["pages"] == ["/boards/planning-committee/2020-01-15/"]
    name, rest = events.next()
    assert (name, rest["complete"]) == ("reload", True)
    # The decision's page shows the item's text too; the meeting's page, already shown, did not
    # change again, and the accessibility statement not at all.
    assert "/boards/planning-committee/2020-01-15/pc2/" in rest["pages"]
    assert "/boards/planning-committee/2020-01-15/" not in rest["pages"]
    assert "/accessibility/" not in rest["pages"]
    assert "eleven homes" in preview.get("/boards/planning-committee/2020-01-15/pc2/")[1]


def test_an_edit_that_changes_what_other_pages_show_waits_for_the_whole_build(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    edit(preview.site, "Land at Mill Lane", "Land at Mill Road")
    name, data = events.next()
    assert (name, data["complete"]) == ("reload", True)
    assert {"/boards/planning-committee/2020-01-15/", "/decisions/"} <= set(data["pages"])
    assert "Mill Road" in preview.get("/decisions/")[1]


def test_pages_unchanged_by_an_edit_are_not_reloaded(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    edit(preview.site, "twelve homes", "eleven homes")
    name, data = events.built()
    assert name == "reload" and "/people/" not in data["pages"] and "/boards/" not in data["pages"]


def test_errors_are_shown_and_the_last_good_site_stays(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    edit(preview.site, "status: held", "status: helld")
    name, data = events.next()
    assert name == "errors"
    assert data["errors"] == [f"{MEETING}:5:9: error: 'helld' is not a meeting status\n"
                              "  hint: did you mean 'held'?"]
    status, page = preview.get("/boards/planning-committee/2020-01-15/")
    assert status == 200 and "Land at Mill Lane" in page
    late = Events(preview.port)  # a page opened now is shown the errors straight away
    assert late.next()[0] == "errors"
    edit(preview.site, "status: helld", "status: held")
    assert events.built()[0] == "reload"


def test_text_from_the_content_is_shown_escaped_in_the_error_overlay(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    edit(preview.site, "status: held", 'status: held\n"x\\n::error forged\\e[2J": 1')
    name, data = events.next()
    assert name == "errors"
    assert data["errors"] == [f"{MEETING}:6:1: error: unknown field 'x\\n::error forged\\x1b[2J'"]


def test_a_burst_of_changes_is_one_rebuild(preview: Preview) -> None:
    events = Events(preview.port)
    events.next()
    for number in range(6):
        edit(preview.site, "twelve homes" if number == 0 else f"{number - 1} homes", f"{number} homes")
        time.sleep(0.01)
    name, data = events.built()
    assert (name, data["generation"]) == ("reload", 2)
    assert "5 homes" in preview.get("/boards/planning-committee/2020-01-15/")[1]


def test_the_open_page_updates_itself_in_the_browser(browser, preview: Preview) -> None:  # type: ignore[no-untyped-def]
    tab = browser.new_page()
    tab.goto(preview.url("/boards/planning-committee/2020-01-15/"))
    tab.wait_for_timeout(300)  # the page has connected to the event stream
    edit(preview.site, "Land at Mill Lane", "Land at Mill Road")
    assert _eventually(lambda: "Mill Road" in tab.locator("h2#pc2").inner_text())
    edit(preview.site, "status: held", "status: helld")
    assert _eventually(lambda: tab.locator("#minutes-preview-errors").count() == 1)
    overlay = tab.locator("#minutes-preview-errors").inner_text()
    assert "1 error" in overlay and f"{MEETING}:5:9" in overlay
    assert tab.locator("h2#pc2").inner_text().startswith("PC2 Land at Mill Road")
    edit(preview.site, "status: helld", "status: held")
    assert _eventually(lambda: tab.locator("#minutes-preview-errors").count() == 0)


def _eventually(condition, timeout: float = 10) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if condition():
                return True
        except Exception:  # the page is reloading
            pass
        time.sleep(0.05)
    return False


def test_an_edit_is_shown_first_even_when_the_preview_started_on_a_site_already_built(tmp_path: Path) -> None:
    """The preview's first build keeps the model even when the last `minutes build` left nothing
    to do, so the first edit after starting is shown as quickly as any other."""
    site = make_site(tmp_path / "site", {})
    output = site / "output"
    assert build_site(site, output, search=False).ok
    preview = Builder(site, output, search=False)
    shown: list[set[str]] = []
    assert preview.build(first=shown.append).ok and shown == []
    edit(site, "twelve homes", "eleven homes")
    assert preview.build(first=shown.append).ok
    assert shown == [{"/boards/planning-committee/2020-01-15/"}]
