"""Sealing the build cache as this machine's own.

The build cache lives in the site folder, which a pull request can write: a committed
`.cache/` must not be able to put text on the site that is not in the records. Every value
the cache keeps is sealed with an HMAC whose key is kept outside the site folder, so a cache
made anywhere else (or changed by hand) does not verify and is thrown away.

The key is `MINUTES_CACHE_KEY` when it is set (a CI secret, so that a cache restored by a
later run is still usable), or else a random key in a file in the user's cache folder
(`$XDG_CACHE_HOME/minutes/cache-key`, or `~/.cache/minutes/cache-key`), made on first use. A
key file inside the site folder could be committed with the cache, so it is never used.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_VARIABLE = "MINUTES_CACHE_KEY"
SEAL_SIZE = 32


class Sealer:
    """Seals and checks values with one site's key."""

    def __init__(self, site: Path) -> None:
        self.key = cache_key(site.resolve())

    def seal(self, *parts: bytes | str) -> bytes:
        """The seal of a value made of `parts` (what it is for, its key, its bytes)."""
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            mac.update(len(data).to_bytes(8, "big"))
            mac.update(data)
        return mac.digest()

    def verified(self, found: bytes, *parts: bytes | str) -> bool:
        return isinstance(found, bytes) and hmac.compare_digest(found, self.seal(*parts))


def cache_key(site: Path) -> bytes:
    """This machine's key; a key that cannot be kept is made for this process alone, so the
    cache is still safe, just not reused by the next build."""
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return hashlib.sha256(given.encode()).digest()
    path = key_file()
    if path.resolve().is_relative_to(site):
        return secrets.token_bytes(SEAL_SIZE)
    key = _read_key(path)
    if key is not None:
        return key
    key = secrets.token_bytes(SEAL_SIZE)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        os.link(temporary, path)  # fails if another build made the key first: that one is used
    except OSError:
        key = _read_key(path) or key
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == SEAL_SIZE else None

def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minutes" / "cache-key"

