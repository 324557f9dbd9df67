"""The site in a real browser: axe-core finds no violations on any page type at desktop and
phone widths, pages fit 320 px, the keyboard reaches everything with a visible focus,
search finds decisions, and nothing breaks the pages' Content Security Policy. The site is
served under a sub-path, as many councils publish it.

Needs Chromium (Debian's `chromium`) and the `playwright` package. Without them these tests
are skipped locally; under CI=true a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest
from conftest import EXAMPLE, FIXTURES, build_for_module, copy_site

PREFIX = "/records/"

PAGES = {
    "home": "",
    "boards": "boards/",
    "board with chart": "boards/children-young-people-families-ppb/",
    "individual decision-maker": "boards/executive-lead-member-childrens-services/",
    "meeting": "boards/executive-board/2010-12-16/",
    "meeting with attendance, votes, recording and exempt item": "boards/children-young-people-families-ppb/2023-09-18/",
    "agenda": "boards/children-young-people-families-ppb/2016-01-04/",
    "decision": "boards/executive-board/2010-12-16/exb77/",
    "decision with votes and draft notice": "boards/children-young-people-families-ppb/2023-09-18/tst2/",
    "report with wide tables": "boards/children-young-people-families-ppb/2016-01-04/reports/quarterly-monitoring-reports/",
    "decisions register": "decisions/",
    "key decisions": "decisions/key/",
    "decisions of a year": "decisions/2010/",
    "people": "people/",
    "person with attendance chart": "people/mark-dennett/",
    "calendar": "calendar/",
    "calendar year": "calendar/2016/",
    "forward plan": "forward-plan/",
    "matters": "matters/",
    "matter": "matters/ofsted-inspection-of-childrens-services/",
    "search": "search/",
    "accessibility statement": "accessibility/",
    "open data": "data/",
}


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site plus two test meetings, built and served under /records/."""
    site = copy_site(EXAMPLE, tmp_path_factory.mktemp("browser-site"))
    shutil.copytree(FIXTURES / "browser-extra" / "content", site / "content", dirs_exist_ok=True)
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("https://records.example.org/minutes/", "https://records.example.org" + PREFIX))
    output = build_for_module(tmp_path_factory, "browser", site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX, and 404.html for anything missing, as static hosts do."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "does-not-exist")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.add_init_script(_RECORD_CSP_VIOLATIONS)
    tab.errors = errors
    yield tab
    context.close()


_RECORD_CSP_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""


def _csp_violations(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.evaluate("window.cspViolations")


def _axe_violations(tab) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} × e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_accessibility_violations_and_no_sideways_scrolling(page, served_site: str, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(served_site + PAGES[name])
    assert response is not None and response.ok
    if name == "search":
        page.wait_for_selector(".pagefind-ui__search-input")
    assert _axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []
    assert _csp_violations(page) == []


def test_the_404_page_helps_from_any_depth(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(served_site + "boards/no-such-board/2099-01-01/")
    assert response is not None and response.status == 404
    assert _axe_violations(page) == []
    page.locator("main a", has_text="Decisions register").click()
    assert page.url == served_site + "decisions/"


def _focus_walk(tab, limit: int = 400) -> list[dict]:  # type: ignore[no-untyped-def]
    """Press Tab until focus comes back round; each stop with whether its focus is visible."""
    stops: list[dict] = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        stop = tab.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const focused = getComputedStyle(el);
            const look = s => [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join('|');
            const withFocus = look(focused);
            el.blur();
            const without = look(getComputedStyle(el));
            el.focus({preventScroll: true});
            return {tag: el.tagName, href: el.getAttribute('href'), id: el.id, cls: el.className,
                    visible: withFocus !== without, key: el.outerHTML.slice(0, 120)};
        }""")
        if stop is None:
            continue
        if stops and stop["key"] == stops[0]["key"]:
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("name", ["home", "meeting with attendance, votes, recording and exempt item", "decisions register"])
def test_the_keyboard_reaches_every_link_with_a_visible_focus(page, served_site: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site + PAGES[name])
    links = page.evaluate("""() => Array.from(document.querySelectorAll('a[href]'))
        .filter(a => a.closest('details:not([open])') === null).map(a => a.outerHTML.slice(0, 120))""")
    stops = _focus_walk(page)
    reached = {stop["key"] for stop in stops}
    assert [link for link in links if link not in reached] == []
    assert [stop["key"] for stop in stops if not stop["visible"]] == []
    assert stops[0]["cls"] == "skip-link"


def test_the_keyboard_reaches_the_search_box(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site + "search/")
    page.wait_for_selector(".pagefind-ui__search-input")
    stops = _focus_walk(page)
    search_boxes = [s for s in stops if s["tag"] == "INPUT" and "pagefind-ui__search-input" in s["cls"]]
    assert len(search_boxes) == 1 and search_boxes[0]["visible"]


def test_search_finds_the_expected_decision(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site + "search/")
    page.fill(".pagefind-ui__search-input", "joint venture school improvement")
    page.wait_for_selector(".pagefind-ui__result-link")
    first = page.locator(".pagefind-ui__result-link").first
    assert first.inner_text() == "Traded services for learning and achievement"
    assert _csp_violations(page) == []
    first.click()
    page.wait_for_load_state()
    assert page.url == served_site + "boards/executive-board/2010-12-16/exb77/"
    assert page.locator("h1").inner_text() == "Traded services for learning and achievement"


def test_a_search_from_the_home_page_shows_its_results_at_an_address_to_keep(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site)
    page.fill("main form[role=search] input[name=q]", "joint venture")
    page.press("main form[role=search] input[name=q]", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.url == served_site + "search/?q=joint+venture"
    assert page.input_value(".pagefind-ui__search-input") == "joint venture"
    assert page.locator(".pagefind-ui__result-link").first.inner_text() == "Traded services for learning and achievement"
    page.fill(".pagefind-ui__search-input", "Ofsted")  # a new search is kept in the address too
    page.wait_for_function("() => location.search === '?q=Ofsted'")
    assert page.errors == [] and _csp_violations(page) == []


def test_a_linked_search_runs_when_the_page_opens(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site + "search/?q=joint%20venture%20school%20improvement")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.locator(".pagefind-ui__result-link").first.inner_text() == "Traded services for learning and achievement"
    assert page.errors == []


def test_search_filters_by_page_type(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_site + "search/")
    page.fill(".pagefind-ui__search-input", "Ofsted")
    page.wait_for_selector(".pagefind-ui__result-link")
    page.locator("summary", has_text="Type").click()
    page.locator("label[for='type-Decision']").click()
    page.wait_for_timeout(500)
    urls = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")
    assert urls and all(url.rstrip("/").count("/") >= 5 for url in urls), urls  # every result is a decision page


def test_without_javascript_the_search_page_points_to_the_register(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(served_site + "search/")
    notice = tab.locator("noscript")
    assert notice.count() == 1
    text = tab.locator("main").inner_text()
    assert "Search needs JavaScript" in text
    assert tab.locator("main a", has_text="decisions register").get_attribute("href") == "../decisions/"
    context.close()


CHARTS = {"board": ("boards/executive-board/", "decisions-chart"),
          "person": ("people/mark-dennett/", "attendance-chart")}
_MEASURE_CHART = """id => {
    const svg = document.getElementById(id);
    const figure = svg.closest('figure');
    const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
    const view = svg.viewBox.baseVal;
    const texts = Array.from(svg.querySelectorAll('text')).map(t => {
        const b = t.getBBox();
        return {text: t.textContent, left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height};
    });
    return {chart: box(svg), view: {width: view.width, height: view.height}, texts,
            main: box(document.querySelector('main')),
            caption: box(figure.querySelector('figcaption')), captionText: figure.querySelector('figcaption').textContent.trim(),
            title: svg.querySelector('title').textContent,
            table: box(figure.querySelector('table')),
            fontSize: parseFloat(svg.querySelector('text').getAttribute('font-size'))};
}"""


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_are_a_sensible_size_titled_unclipped_and_beside_their_table(page, served_site: str, name: str,  # type: ignore[no-untyped-def]
                                                                             width: int) -> None:
    url, chart_id = CHARTS[name]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(served_site + url)
    found = page.evaluate(_MEASURE_CHART, chart_id)
    chart, view, main = found["chart"], found["view"], found["main"]
    scale = chart["width"] / view["width"]
    assert 11 <= found["fontSize"] * scale <= 20, f"labels drawn at {found['fontSize'] * scale:.1f} px"
    assert min(160, main["width"]) <= chart["width"] <= min(640, main["width"]), chart
    assert 60 <= chart["height"] <= 600, chart
    for label in found["texts"]:  # every label and legend inside the drawing, none cut off
        assert label["left"] >= 0 and label["top"] >= 0, label
        assert label["right"] <= view["width"] and label["bottom"] <= view["height"], label
    years = [int(t["text"]) for t in found["texts"] if len(t["text"]) == 4 and t["text"].isdigit() and int(t["text"]) > 1900]
    assert years == list(range(min(years), max(years) + 1)), years
    assert found["captionText"] == found["title"] and found["caption"]["height"] > 0
    assert found["caption"]["bottom"] <= chart["top"]
    table = found["table"]
    assert table["height"] > 0 and table["width"] > 0
    if width >= 1000:
        assert table["left"] >= chart["right"] and table["top"] < chart["bottom"], "the table is beside the chart"
    else:
        assert table["top"] >= chart["bottom"] - 1, "on a phone the table follows the chart"
    assert table["right"] <= main["right"] + 1
