"""The digests of the site's files, which say what changed since the last build.

A file is read and digested again only when its size, modification or change time or inode
differs from when its digest was last taken (as git does for its index): any write changes its
change time. What changed is then decided by the digests alone, so a fresh clone, whose every
file has new times, does the same work as a working copy where nothing changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

Stat = tuple[int, ...]
FileDigest = tuple[Stat, str]  # the stat a digest was taken at, and the digest


def file_digests(root: Path, rels: Iterable[str], known: Mapping[str, FileDigest],
                 stats: Mapping[str, Sequence[int]] | None = None) -> dict[str, FileDigest]:
    """The digest of each file (relative to `root`), reusing `known` ones whose stat is the same.
    `stats` are the files' stats when the build has taken them already (size, modification and
    change times, inode). A file that cannot be read has no digest here: reading it again
    reports why."""
    found: dict[str, FileDigest] = {}
    for rel in rels:
        path = root / rel
        taken = stats.get(rel) if stats is not None else None
        if taken is not None:
            stat = tuple(taken)
        else:
            try:
                status = os.stat(path)
            except OSError:
                continue
            stat = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        previous = known.get(rel)
        if previous is not None and previous[0] == stat:
            found[rel] = previous
            continue
        digest = file_digest(path)
        if digest is not None:
            found[rel] = (stat, digest)
    return found


def file_digest(path: Path) -> str | None:
    hasher = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                hasher.update(chunk)
    except OSError:
        return None
    return hasher.hexdigest()
