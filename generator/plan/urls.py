"""The site's URL scheme, in one place. URLs are site-root paths ("/boards/x/");
pages are written with links relative to themselves, so a site works under any sub-path."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019]")
_ROOT_LINK = re.compile(r'((?:href|src|action)=")/(?!/)([^"]*)"')


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens, short enough for a readable address."""
    ascii_text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "item"


def home() -> str:
    return "/"


def boards() -> str:
    return "/boards/"


def board(slug: str) -> str:
    return f"/boards/{slug}/"


def meeting(board_slug: str, meeting_slug: str) -> str:
    return f"/boards/{board_slug}/{meeting_slug}/"


def decision(board_slug: str, meeting_slug: str, item_id: str) -> str:
    return f"/boards/{board_slug}/{meeting_slug}/{item_id}/"


def report(board_slug: str, meeting_slug: str, report_slug: str) -> str:
    return f"/boards/{board_slug}/{meeting_slug}/reports/{report_slug}/"


def attachment(board_slug: str, meeting_slug: str, filename: str) -> str:
    return f"/boards/{board_slug}/{meeting_slug}/documents/{filename}"


def people() -> str:
    return "/people/"


def person(slug: str) -> str:
    return f"/people/{slug}/"


def decisions() -> str:
    return "/decisions/"


def decisions_in(year: int) -> str:
    return f"/decisions/{year}/"


def key_decisions() -> str:
    return "/decisions/key/"


def calendar() -> str:
    return "/calendar/"


def calendar_year(year: int) -> str:
    return f"/calendar/{year}/"


def forward_plan() -> str:
    return "/forward-plan/"


def matters() -> str:
    return "/matters/"


def matter(slug: str) -> str:
    return f"/matters/{slug}/"


def accessibility() -> str:
    return "/accessibility/"


def feed(board_slug: str | None = None) -> str:
    """The Atom feed of the whole site, or of one board."""
    return board(board_slug) + "feed.xml" if board_slug else "/feed.xml"


def ical(board_slug: str | None = None) -> str:
    """The iCalendar file of the whole site, or of one board."""
    return board(board_slug) + "calendar.ics" if board_slug else "/calendar.ics"


def data(filename: str) -> str:
    return f"/data/{filename}"


def data_piece(board_slug: str, year: int, name: str) -> str:
    """One board's meetings or decisions of one year, as open data."""
    return f"/data/boards/{board_slug}/{year}/{name}.json"


def open_data(board_slug: str | None = None) -> str:
    """The page listing the open data files, or its section of one board's files."""
    return "/data/" + (f"#board-{board_slug}" if board_slug else "")


def schema(name: str) -> str:
    return f"/data/schema/{name}.schema.json"


def sitemap() -> str:
    return "/sitemap.xml"


def robots() -> str:
    return "/robots.txt"


def not_found() -> str:
    return "/404.html"


def search() -> str:
    return "/search/"


def static(name: str) -> str:
    return f"/static/{name}"


def media_moment(url: str, seconds: int) -> str:
    """A link to a moment in a recording: YouTube's own `t` parameter, or a W3C media fragment."""
    parts = urlsplit(url)
    if parts.hostname and (parts.hostname.endswith("youtube.com") or parts.hostname == "youtu.be"):
        query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("t="))
        query = f"{query}&t={seconds}" if query else f"t={seconds}"
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f"t={seconds}"))


def absolute(base_url: str, url: str) -> str:
    """A site URL ("/boards/x/") as the absolute address it is published at (base_url ends in "/")."""
    return base_url + url.lstrip("/")


def absolutize(page_html: str, base_url: str) -> str:
    """Rewrite root-relative links to absolute addresses, for HTML read away from the site (feeds)."""
    return _ROOT_LINK.sub(lambda m: f'{m.group(1)}{base_url}{m.group(2)}"', page_html)


def rooted(page_html: str, base_url: str) -> str:
    """Rewrite a page's root-relative links to start at the path the site is published under,
    for a page served at addresses other than its own (the 404 page)."""
    path = urlsplit(base_url).path or "/"
    return _ROOT_LINK.sub(lambda m: f'{m.group(1)}{path}{m.group(2)}"', page_html)


def output_path(url: str) -> str:
    """The file a URL is served from: directories get an index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(url: str, from_url: str) -> str:
    """A link to `url` (a site-root path, maybe with #fragment) from the page at `from_url`."""
    return _relative_from(url, _folder_of(from_url))


def _folder_of(page_url: str) -> tuple[str, list[str]]:
    """The folder a page's relative links start from, and its parts."""
    base = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    return base, base.strip("/").split("/") if base != "/" else []


def _relative_from(url: str, folder: tuple[str, list[str]]) -> str:
    path, hash_, fragment = url.partition("#")
    base, folders = folder
    if path == base:
        return hash_ + fragment if fragment else "./"
    # Both are clean site paths, so the common folders can be counted directly: this runs for
    # every link of every page, and posixpath.relpath's generality costs too much there.
    parts = path.lstrip("/").split("/")
    shared = 0
    while shared < len(folders) and shared < len(parts) - 1 and folders[shared] == parts[shared]:
        shared += 1
    target = "../" * (len(folders) - shared) + "/".join(parts[shared:])
    return (target or "./") + hash_ + fragment


def relativize(page_html: str, page_url: str) -> str:
    """Rewrite every root-relative href/src in a page to be relative to the page."""
    folder = _folder_of(page_url)
    return _ROOT_LINK.sub(lambda m: f'{m.group(1)}{_relative_from("/" + m.group(2), folder)}"', page_html)
