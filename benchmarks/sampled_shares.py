"""Where a build's processor time goes, from py-spy's samples of every process of it.

    py-spy record -f raw -r 250 --subprocesses -o SAMPLES -- python -m generator build ...
    python benchmarks/sampled_shares.py SAMPLES FUNCTION [--top N]

Of the samples whose stack holds FUNCTION (such as `validate_on.<locals>._sent`, a record
validated on a worker, or `render_outputs.<locals>.make`, an output made), prints the share in
which each function is on the stack (but those on all of them), then the share each line is the
one running. cProfile sees
one process and inflates small functions; sampling sees the workers as they run.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def shares(samples: Path, function: str) -> tuple[int, Counter[str], Counter[str]]:
    """The samples counted, and per function on the stack and per running line, their count."""
    on_stack: Counter[str] = Counter()
    running: Counter[str] = Counter()
    total = 0
    for line in samples.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any(function in frame for frame in frames) or not count.isdigit():
            continue
        total += int(count)
        names = {_name(frame) for frame in frames if not frame.startswith("process ")}
        on_stack.update({name: int(count) for name in names})
        running[frames[-1]] += int(count)
    return total, on_stack, running


def _name(frame: str) -> str:
    """A function and its file, without the line: "render_page (templates.py)"."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1].split(':')[0]})" if where else name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("samples", type=Path)
    parser.add_argument("function")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    total, on_stack, running = shares(args.samples, args.function)
    if not total:
        print(f"no samples with {args.function} on the stack")
        return 1
    print(f"{total} samples with {args.function} on the stack; share of them with each function on the stack"
          " (those on every one of them, its callers, left out):")
    for name, count in [(name, count) for name, count in on_stack.most_common() if count < total][:args.top]:
        print(f"{count / total:6.1%}  {name}")
    print("share of them running each line:")
    for name, count in running.most_common(args.top // 2):
        print(f"{count / total:6.1%}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
