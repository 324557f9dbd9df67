"""Run one command as a new process and measure it: wall-clock time and peak memory.

    python benchmarks/measure.py [--cwd DIR] -- COMMAND ...

Prints one JSON object on stdout: `wall` (seconds, from just before the process is
started until it has been waited for), `returncode`, `maxrss_kib` (the peak resident set
of the largest single process in the tree: getrusage(RUSAGE_CHILDREN) of this fresh
wrapper, so it covers only this command), `tree_rss_kib` (the peak of the summed RSS of
the whole process tree, sampled every 0.1 s: an upper bound, since worker processes forked
by the build share most of their pages with it) and `tree_pss_kib` (the peak of the
summed PSS, which splits shared pages between the processes that map them: the tree's
real use; sampled from 0.2 s on, every 0.5 s or more, as reading it is costly, so a brief
peak can be missed), and the command's `stdout` and the end of its `stderr`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


class _Tree:
    """The process tree under one process, from /proc (parents are cached: only new
    processes have their stat read)."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.parents: dict[int, int] = {}

    def pids(self) -> list[int]:
        alive = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                pid = int(entry.name)
                alive.append(pid)
                if pid not in self.parents:
                    try:
                        stat = Path(entry.path, "stat").read_text()
                        self.parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
                    except (OSError, ValueError, IndexError):
                        continue
        children: dict[int, list[int]] = {}
        for pid in alive:
            if pid in self.parents:
                children.setdefault(self.parents[pid], []).append(pid)
        found, pending = [], [self.root]
        while pending:
            pid = pending.pop()
            found.append(pid)
            pending.extend(children.get(pid, ()))
        return found


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KIB
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: str | None = None, interval: float = 0.1) -> dict[str, object]:
    """Summed RSS is cheap to read and is sampled every `interval`; PSS costs the kernel a walk
    of every page table (some 14 ms for a process of 1.5 GB), so it is sampled at most every
    0.5 s and never more than 1/20 of the time, to keep the measuring from slowing what it
    measures on a small machine, yet with a few samples of a build that takes a second."""
    peaks = {"rss": 0, "pss": 0}
    sampling = Path("/proc/self/smaps_rollup").exists()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        tree = _Tree(process.pid)
        next_pss = time.perf_counter() + 0.2
        while not stop.is_set():
            pids = tree.pids()
            peaks["rss"] = max(peaks["rss"], _rss(pids))
            now = time.perf_counter()
            if now >= next_pss:
                peaks["pss"] = max(peaks["pss"], _pss(pids))
                took = time.perf_counter() - now
                next_pss = now + max(0.5, 20 * took)
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampling:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    if sampling:
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "returncode": process.returncode,
        "maxrss_kib": usage.ru_maxrss,
        "tree_rss_kib": peaks["rss"] or None,
        "tree_pss_kib": peaks["pss"] or None,
        "user": usage.ru_utime,
        "system": usage.ru_stime,
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr": stderr.decode("utf-8", "replace")[-4000:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Measure one command's wall-clock time and peak memory.")
    parser.add_argument("--cwd")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    json.dump(measure(command, args.cwd), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
