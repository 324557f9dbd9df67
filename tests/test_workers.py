"""Independent jobs on several processes (generator/incremental/workers.py): every job done
once, whatever the number of jobs and processes, and a job that fails stops the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.incremental.workers import WorkerFailed, fork_map


@given(st.integers(0, 300), st.integers(1, 3))
@settings(max_examples=25, deadline=None)
def test_every_job_is_done_once(count: int, processes: int) -> None:
    results = list(fork_map(lambda n: [n, n * n], range(count), processes))
    assert sorted(n for n, _ in results) == list(range(count))
    assert all(square == n * n for n, square in results)


def test_a_failing_job_stops_the_map_with_its_traceback() -> None:
    def job(n: int) -> int:
        if n == 40:
            raise ValueError("no forty")
        return n

    with pytest.raises(WorkerFailed, match="no forty"):
        list(fork_map(job, range(100), 2))


def test_a_worker_whose_results_cannot_be_sent_ends_there(tmp_path: Path) -> None:
    """When one worker fails, the others find the pipe to the build closed. They must end, not
    carry on running the build's own code after the map (which could publish a site)."""
    build = os.getpid()

    def job(n: int) -> str:
        if n == 0:
            raise ValueError("the first fails")
        return "x" * 200_000  # more than a pipe holds: the worker waits on the build to read it

    with pytest.raises(WorkerFailed):
        list(fork_map(job, range(100), 2))
    if os.getpid() != build:
        (tmp_path / f"escaped-{os.getpid()}").write_text("a worker ran on past its jobs")
        os._exit(0)
    assert not list(tmp_path.glob("escaped-*"))
