"""`minutes serve`: a local preview that rebuilds when files change and reloads open pages.

Changes to content/, layouts/ and site.yaml are watched; a burst of them (an editor's save,
a `git pull`) becomes one rebuild. Browsers hear about builds over server-sent events, from
a small script injected into pages only here. The model stays in memory between builds: an
edit of a record re-reads that record only, and its pages are published and announced first,
before the lists, feeds, data and search index that show it are made. A browser reloads when its
page changed, and shows the errors of a failed build over the last good site, which stays served.
"""

from __future__ import annotations

import functools
import gc
import http.server
import io
import json
import queue
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import Builder, BuildResult

EVENTS = "/__minutes/events"
SCRIPT = "/__minutes/live.js"
STYLE = "/__minutes/live.css"
_ASSETS = Path(__file__).parent / "preview_assets"
QUIET_SECONDS = 0.05  # a burst of changes is over when nothing has changed for this long
Build = Callable[[Callable[[set[str]], None]], BuildResult]  # told the pages published ahead of the rest


class BuildState:
    """The outcome of the latest build, and the browsers waiting to hear about the next."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.errors: list[str] = []
        self.listeners: list[queue.Queue[str]] = []

    def shown(self, pages: set[str]) -> None:
        """Tell every browser these pages are ready, ahead of the rest of the build."""
        self._tell(_event("reload", {"generation": self.generation, "pages": sorted(pages), "complete": False}))

    def finished(self, result: BuildResult | None, crash: str = "") -> None:
        """Tell every browser: reload if its page changed in a good build, or show the errors of a
        failed one."""
        with self.lock:
            if result is not None and result.ok:
                self.generation += 1
                self.errors = []
                message = _event("reload", {"generation": self.generation, "pages": sorted(result.changed),
                                            "complete": True})
            else:
                errors = result.diagnostics.sorted() if result is not None else []
                self.errors = [d.format() for d in errors if d.severity == "error"] or [crash]
                message = _event("errors", {"errors": self.errors})
        self._tell(message)

    def _tell(self, message: str) -> None:
        with self.lock:
            for listener in self.listeners:
                listener.put(message)

    def listen(self) -> tuple[queue.Queue[str], str]:
        """A queue for one browser, and what it should be told first."""
        mailbox: queue.Queue[str] = queue.Queue()
        with self.lock:
            self.listeners.append(mailbox)
            first = _event("errors", {"errors": self.errors}) if self.errors else _event("hello", {"generation": self.generation})
        return mailbox, first

    def forget(self, mailbox: queue.Queue[str]) -> None:
        with self.lock:
            self.listeners.remove(mailbox)


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


class Rebuilder:
    """Runs one build at a time, after a burst of changes has settled."""

    def __init__(self, build: Build, state: BuildState, report: Callable[[BuildResult], object]) -> None:
        self.build = build
        self.state = state
        self.report = report
        self.changed = threading.Event()
        self.last_change = 0.0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped = True
        self.changed.set()

    def notice(self) -> None:
        self.last_change = time.monotonic()
        self.changed.set()

    def _run(self) -> None:
        while not self.stopped:
            self.changed.wait()
            if self.stopped:
                return
            while time.monotonic() - self.last_change < QUIET_SECONDS:
                time.sleep(QUIET_SECONDS / 4)
            self.changed.clear()
            self.rebuild()

    def rebuild(self) -> None:
        try:
            result = self.build(self.state.shown)
        except Exception:  # a fault in Minutes itself: shown, and the preview goes on
            crash = "Minutes failed while building (this is a bug, not a problem in the content):\n" + traceback.format_exc()
            print(crash, flush=True)
            self.state.finished(None, crash)
            return
        self.report(result)
        self.state.finished(result)


class _Watch(FileSystemEventHandler):
    def __init__(self, site: Path, rebuilder: Rebuilder) -> None:
        self.site = site
        self.rebuilder = rebuilder

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(str(raw))
            if raw and self._matters(path):
                self.rebuilder.notice()
                return

    def _matters(self, path: Path) -> bool:
        name = path.name
        if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
            return False  # editors' temporary and backup files
        try:
            rel = path.resolve().relative_to(self.site)
        except ValueError:
            return False
        return rel.parts[:1] in (("content",), ("layouts",)) or rel == Path("site.yaml")


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self._events()
        elif path in (SCRIPT, STYLE):
            self._asset(path)
        else:
            super().do_GET()

    def _asset(self, path: str) -> None:
        body = (_ASSETS / path.rsplit("/", 1)[1]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript" if path.endswith(".js") else "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        mailbox, first = self.state.listen()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(first.encode())
            self.wfile.flush()
            while True:
                try:
                    message = mailbox.get(timeout=15)
                except queue.Empty:
                    message = ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.state.forget(mailbox)

    def send_head(self) -> Any:
        """Pages get the preview script; everything else is served as it is."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix != ".html" or not target.is_file():
            if not target.exists() and (Path(self.directory) / "404.html").is_file():
                return self._html(Path(self.directory) / "404.html", 404)
            return super().send_head()
        return self._html(target, 200)

    def _html(self, path: Path, status: int) -> Any:
        tags = f'<link rel="stylesheet" href="{STYLE}"><script src="{SCRIPT}" defer></script>'.encode()
        body = path.read_bytes().replace(b"</head>", tags + b"</head>", 1)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(site: Path, output: Path, host: str, port: int, build: Build,
          report: Callable[[BuildResult], object]) -> None:
    """Build, then serve `output` and rebuild on every change until interrupted."""
    state = BuildState()
    rebuilder = Rebuilder(build, state, report)
    rebuilder.rebuild()
    output.mkdir(parents=True, exist_ok=True)
    observer = Observer()
    watcher = _Watch(site.resolve(), rebuilder)
    for folder in (site / "content", site / "layouts"):
        if folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True)
    observer.schedule(watcher, str(site), recursive=False)
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(output)))
    server.daemon_threads = True
    observer.start()
    rebuilder.start()
    print(f"Previewing {site} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop()
        observer.stop()
        observer.join()
        server.server_close()


def preview_build(site: Path, output: Path, search: bool, jobs: int) -> Build:
    """Builds of the preview, one after another, keeping the model in memory between them."""
    builder = Builder(site, output, search=search, jobs=jobs)

    def build(shown: Callable[[set[str]], None]) -> BuildResult:
        try:
            return builder.build(first=shown)
        finally:
            # What the builder keeps for the next build is collected once now, then left out of
            # the collector's passes until that build: otherwise the first objects made after the
            # next save can set off a pass over all of it (0.4 s on L) before the edited page is shown.
            gc.collect()
            gc.freeze()

    return build
