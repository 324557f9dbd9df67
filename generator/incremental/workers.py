"""Doing a list of independent jobs on several processes.

The processes are forked once the work is planned, so they share the model without copying or
pickling it: each takes every n-th job and sends back its result as JSON over a pipe. The
garbage collector's view of the shared objects is frozen first, or collecting in each process
would touch, and so copy, every page of them.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
# Below this many jobs, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 24


class WorkerFailed(Exception):
    """A job raised in a worker process; the message is its traceback."""


def in_parallel(count: int, processes: int) -> bool:
    """Whether `fork_map` would do this many jobs on several processes."""
    return processes > 1 and count >= PARALLEL_THRESHOLD and hasattr(os, "fork")


def fork_map(job: Callable[[T], Any], items: Sequence[T], processes: int) -> Iterator[Any]:
    """`job(item)` for every item, in any order; each result must be JSON data. In this process
    when there is little to do or one process to do it with."""
    if not in_parallel(len(items), processes):
        yield from (job(item) for item in items)
        return
    frozen = gc.get_freeze_count() > 0  # the caller's, which it undoes itself
    gc.freeze()
    children: dict[int, int] = {}  # reading end -> process id
    try:
        for number in range(processes):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                os.close(read)
                _work(job, items[number::processes], write)
            os.close(write)
            children[read] = pid
        done = 0
        for result in _collect(children):
            done += 1
            yield result
        if done != len(items):
            raise WorkerFailed(f"a worker process stopped after {done} of {len(items)} jobs")
    finally:
        if not frozen:
            gc.unfreeze()
        for read, pid in children.items():
            try:
                os.close(read)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _work(job: Callable[[T], Any], items: Sequence[T], write: int) -> None:
    status = 0
    with os.fdopen(write, "w", encoding="utf-8") as out:
        try:
            for item in items:
                out.write(json.dumps(["ok", job(item)]) + "\n")
        except BaseException:
            out.write(json.dumps(["failed", traceback.format_exc()]) + "\n")
            status = 1
    os._exit(status)


def _collect(children: dict[int, int]) -> Iterator[Any]:
    selector = selectors.DefaultSelector()
    buffers = {read: b"" for read in children}
    for read in children:
        selector.register(read, selectors.EVENT_READ)
    open_pipes = len(children)
    while open_pipes:
        for key, _ in selector.select():
            read = key.fd
            chunk = os.read(read, 1 << 16)
            if not chunk:
                selector.unregister(read)
                open_pipes -= 1
                continue
            lines = (buffers[read] + chunk).split(b"\n")
            buffers[read] = lines.pop()
            for line in lines:
                state, value = json.loads(line)
                if state == "failed":
                    raise WorkerFailed(value)
                yield value
    selector.close()
