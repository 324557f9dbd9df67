"""Doing a list of independent jobs on several processes.

The processes are forked once the work is planned, so they share the model without copying or
pickling it, and send back their results as JSON over a pipe. Each takes a batch of neighbouring
jobs (a meeting's pages are neighbours, and read the same records) and ends when it is done, and
a new process takes the next batch: a process copies each page of the shared model it touches
(counting references writes to the objects), so a long-lived one would end up with a copy of
most of it, and two of them with two. The garbage collector's view of the shared objects is
frozen first, or collecting in each process would touch every page of them at once.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
# Below this many jobs, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 24
# The most jobs one process does: what it copies of the shared model is bounded by what they read.
BATCH = 4000


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
    batches = iter(_batches(len(items), processes))
    children: dict[int, int] = {}  # reading end -> process id
    selector = selectors.DefaultSelector()
    buffers: dict[int, bytes] = {}

    def start(batch: range) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read)
            _work(job, [items[index] for index in batch], write)
        os.close(write)
        children[read], buffers[read] = pid, b""
        selector.register(read, selectors.EVENT_READ)

    try:
        for _, batch in zip(range(processes), batches):
            start(batch)
        done = 0
        while children:
            for key, _ in selector.select():
                read = key.fd
                chunk = os.read(read, 1 << 16)
                if not chunk:  # the worker is done: the next batch goes to a new one
                    selector.unregister(read)
                    os.close(read)
                    _, status = os.waitpid(children.pop(read), 0)
                    if status != 0:
                        raise WorkerFailed(f"a worker process stopped after {done} of {len(items)} jobs")
                    following = next(batches, None)
                    if following is not None:
                        start(following)
                    continue
                lines = (buffers[read] + chunk).split(b"\n")
                buffers[read] = lines.pop()
                for line in lines:
                    state, value = json.loads(line)
                    if state == "failed":
                        raise WorkerFailed(value)
                    done += 1
                    yield value
        if done != len(items):
            raise WorkerFailed(f"the worker processes stopped after {done} of {len(items)} jobs")
    finally:
        selector.close()
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


def _batches(count: int, processes: int) -> list[range]:
    """Runs of neighbouring jobs, at most BATCH long, and short enough that each process has
    several: the last to finish does not keep the others waiting long."""
    size = max(1, min(BATCH, -(-count // (processes * 4))))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _work(job: Callable[[T], Any], items: Sequence[T], write: int) -> NoReturn:
    """Do the jobs and end the process, whatever happens: even when the results cannot be sent
    (the build stopped reading on another worker's failure), it must not return into the build's
    own code."""
    status = 1
    try:
        with os.fdopen(write, "w", encoding="utf-8") as out:
            try:
                for item in items:
                    out.write(json.dumps(["ok", job(item)]) + "\n")
                status = 0
            except BaseException:
                out.write(json.dumps(["failed", traceback.format_exc()]) + "\n")
    finally:
        os._exit(status)
