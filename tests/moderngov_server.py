"""A ModernGov web service on 127.0.0.1, answering with the recordings in
tests/fixtures/moderngov/ (see the README there), and able to be slow, broken or hostile."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDINGS = Path(__file__).parent / "fixtures" / "moderngov"
RECORDED_SITE = "https://democracy.manchester.gov.uk"
PAPER = b"%PDF-1.4\n% a paper of the meeting\n"

# What a call may do instead of answering from its recording: bytes to answer with, or a
# function of how many times the call has been made, returning bytes, an HTTP error status
# or None (the recording).
Behaviour = bytes | Callable[[int], bytes | int | None]


@dataclass
class Service:
    url: str
    answers: dict[str, Behaviour] = field(default_factory=dict)  # keyed by call: "GetMeeting-4967"
    delays: dict[str, float] = field(default_factory=dict)  # seconds before answering
    requests: list[str] = field(default_factory=list)  # path and query of every request
    local_papers: bool = False  # answer with papers' addresses on this server, not the council's

    def calls(self, name: str) -> list[str]:
        return [r for r in self.requests if r.split("?")[0].endswith("/" + name)]


def _call_name(path: str, query: dict[str, list[str]]) -> str:
    method = path.rsplit("/", 1)[-1]
    for key in ("lCommitteeId", "lMeetingId"):
        if key in query:
            return f"{method}-{query[key][0]}"
    return method


@contextmanager
def moderngov_service() -> Iterator[Service]:
    service = Service("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            service.requests.append(self.path)
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path.endswith("mgConvert2PDF.aspx"):
                return self._answer(200, PAPER, "application/pdf")
            name = _call_name(parts.path, query)
            time.sleep(service.delays.get(name, 0))
            behaviour = service.answers.get(name)
            body = behaviour(len(service.calls(parts.path.rsplit("/", 1)[-1]))) if callable(behaviour) else behaviour
            if isinstance(body, int):
                return self._answer(body, b"<html>Service Unavailable</html>", "text/html")
            if body is None:
                recording = RECORDINGS / f"{name}.xml"
                if not recording.is_file():
                    return self._answer(500, b"<html>Server Error in '/' Application.</html>", "text/html")
                body = recording.read_bytes()
                if service.local_papers:
                    body = body.replace(RECORDED_SITE.encode(), service.url.encode())
            self._answer(200, body, "text/xml; charset=utf-8")

        def _answer(self, status: int, body: bytes, kind: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
