"""The secret key of a local install run with DEBUG and no SECRET_KEY: random, made once and kept
in a git-ignored file (so sessions and signed links survive restarts, yet no two installs share
it; a constant in the code would let anyone forge unsubscribe links on every demo install)."""

import os
import secrets
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """The key in `path`, written there first (readable by its owner only) when there is none."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key
