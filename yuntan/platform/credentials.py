"""Secrets the platform hands out once (invitation links, meter feed tokens, PACT client
secrets and access tokens): made here, and kept only as a SHA-256 digest (they are random
and long, so a plain digest is enough to compare against)."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """A random URL-safe secret (32 bytes of entropy)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
