"""Take the screenshots of docs/clerk-guide.md, README.md and docs/open-data.md again, so that
they show Minutes as it is now.

    .venv/bin/python docs/images/make_screenshots.py

It copies the example site into a temporary folder, starts `minutes serve` on the copy and
follows a clerk's steps in Debian's Chromium, driven by Playwright: a new meeting of the
Children, Young People and Families Policy and Performance Board (made up for the guide), a
typical mistake while recording the attendance, and the minutes with a decision; then what a
resident sees: the decisions register marking decisions from draft minutes, a board's chart
beside its table, a person's chart on a phone, and the open data page. It needs the
test extras (`pip install -e '.[test]'`) and Chromium at /usr/bin/chromium (or $CHROMIUM).
Nothing outside docs/images/ is changed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
IMAGES = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BOARD = "children-young-people-families-ppb"
DATE = "2022-03-07"
MEETING = f"content/meetings/{BOARD}/{DATE}.md"
TODAY = "1643716800"  # 1 February 2022: the new meeting is upcoming, as it would be for its clerk
WIDTH, HEIGHT = 960, 720
MAX_BYTES = 200_000

AGENDA = """
## Public question time

## Ofsted focused visit: action plan

The Board will receive a report of the Executive Director, Children's Services,
on progress with the action plan agreed after Ofsted's focused visit.
"""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="minutes-screenshots-") as folder:
        site = Path(folder) / "site"
        site.mkdir()
        shutil.copy2(ROOT / "site.yaml", site / "site.yaml")
        shutil.copytree(ROOT / "content", site / "content")
        env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY}
        minutes = [sys.executable, "-u", "-m", "generator"]
        subprocess.run([*minutes, "new", "meeting", BOARD, DATE, "--site", str(site)], check=True, env=env, cwd=ROOT)
        meeting = site / MEETING
        meeting.write_text(meeting.read_text(encoding="utf-8") + AGENDA, encoding="utf-8")
        server = subprocess.Popen([*minutes, "serve", "--site", str(site), "--port", "0", "-j", "1"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
        try:
            port = _port(server)
            threading.Thread(target=server.stdout.read, daemon=True).start()  # type: ignore[union-attr]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
                _take(page, port, meeting)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in ("new-agenda.png", "error-overlay.png", "decision.png", "register.png", "chart.png", "chart-phone.png",
                 "open-data.png"):
        size = (IMAGES / name).stat().st_size
        print(f"docs/images/{name}: {size // 1024} KB")
        if size > MAX_BYTES:
            print(f"  {name} is over {MAX_BYTES // 1000} KB: crop it further", file=sys.stderr)
            return 1
    return 0


def _take(page: Page, port: int, meeting: Path) -> None:
    page.goto(f"http://127.0.0.1:{port}/boards/{BOARD}/{DATE}/")
    page.wait_for_selector("text=Ofsted focused visit: action plan")
    _shot(page, "new-agenda.png", down_to="section.item")

    # A typical mistake: the attendance recorded with a misspelt name and the time in 12-hour form.
    text = meeting.read_text(encoding="utf-8")
    text = (text.replace('start: "18:30"', "start: 6.30pm")
                .replace("# present:", "present:")
                .replace("#   - mark-dennett    ", "  - mark-dennet     ")
                .replace("#   - geoffrey-logan  ", "  - geoffrey-logan  "))
    meeting.write_text(text, encoding="utf-8")
    page.wait_for_selector("#minutes-preview-errors")
    page.wait_for_timeout(300)
    _shot(page, "error-overlay.png")

    # The mistakes put right, the meeting held, and its draft minutes written.
    text = (text.replace("start: 6.30pm", 'start: "18:30"')
                .replace("mark-dennet     ", "mark-dennett     ")
                .replace("status: scheduled", "status: held")
                .replace("minutes: none", "minutes: draft")
                .replace("## Public question time\n", "## Public question time\n\nNo public questions had been received.\n")
                .replace("The Board will receive a report", "The Board received a report")
                .replace("agreed after Ofsted's focused visit.\n",
                         "agreed after Ofsted's focused visit.\n\n"
                         "RESOLVED: That\n\n"
                         "1. the progress with the action plan be noted; and\n"
                         "2. a further report be brought to the Board's next meeting.\n"))
    lines = []
    for line in text.split("\n"):  # everyone present but one, who sent apologies
        if line.startswith("#   - kath-loftus"):
            continue
        if line.startswith("#   - "):
            line = "  - " + line[len("#   - "):]
        lines.append(line.replace("# apologies:", "apologies:\n  - kath-loftus"))
    text = "\n".join(lines)
    with page.expect_navigation():  # the page reloads itself after the good build
        meeting.write_text(text, encoding="utf-8")
    page.goto(f"http://127.0.0.1:{port}/boards/{BOARD}/{DATE}/ofsted-focused-visit-action-plan/")
    _shot(page, "decision.png", down_to="main p")

    page.goto(f"http://127.0.0.1:{port}/decisions/")
    _shot(page, "register.png", down_to="main table.register", first=True)
    page.goto(f"http://127.0.0.1:{port}/boards/executive-board/")
    page.locator("figure.chart-figure").screenshot(path=str(IMAGES / "chart.png"))
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    page.goto(f"http://127.0.0.1:{port}/people/mark-dennett/")
    page.locator("figure.chart-figure").screenshot(path=str(IMAGES / "chart-phone.png"))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(f"http://127.0.0.1:{port}/data/")
    _shot(page, "open-data.png", down_to="ul.datasets > li", first=True)


def _shot(page: Page, name: str, down_to: str | None = None, first: bool = False) -> None:
    """The page from its top: down to the end of the last (or `first`) element matching
    `down_to` (so the footer is left out), or else as much as the window shows."""
    height = HEIGHT
    if down_to is not None:
        found = page.locator(down_to)
        box = (found.first if first else found.last).bounding_box()
        assert box is not None, f"nothing on the page matches {down_to}"
        height = int(box["y"] + box["height"] + 24)
    page.screenshot(path=str(IMAGES / name), clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
                    full_page=down_to is not None)


def _port(server: subprocess.Popen[str]) -> int:
    seen = []
    while True:
        line = server.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise SystemExit("minutes serve stopped:\n" + "".join(seen))
        seen.append(line)
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return int(found.group(1))


if __name__ == "__main__":
    sys.exit(main())
