"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and SHA-256: what is hashed or
signed is always the JCS bytes, so any implementation can recompute it."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value (keys sorted, no whitespace,
    ES6 number formatting)."""
    return rfc8785.dumps(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
