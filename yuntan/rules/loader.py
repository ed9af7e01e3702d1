"""Read rule packs from TOML: one file, or the packs shipped in ``yuntan/data/rules``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from yuntan.rules.errors import InvalidRulePack, PackProblem, UnknownRulePack
from yuntan.rules.schema import SEMVER, RulePack, validate_pack


def loads_pack(text: str, source: str = "<string>") -> RulePack:
    """Parse and validate one pack written as TOML; errors name ``source``."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = PackProblem(repr(source), "file", "toml-syntax", str(exc))
        raise InvalidRulePack([problem]) from None
    return validate_pack(document)


def load_pack(path: Path) -> RulePack:
    """Read and validate the pack in ``path``."""
    return loads_pack(path.read_text(encoding="utf-8"), str(path))


def version_key(version: str) -> tuple[int, int, int, int, str]:
    """Sort key of a semver string: releases after their pre-releases."""
    match = SEMVER.match(version)
    if match is None:
        raise ValueError(f"{version!r} is not a semantic version (e.g. 1.0.0).")
    major, minor, patch, pre = match.groups()
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")


@cache
def shipped_packs() -> tuple[RulePack, ...]:
    """Every pack in ``yuntan/data/rules``, sorted by id and version."""
    packs = []
    for entry in resources.files("yuntan.data.rules").iterdir():
        if entry.name.endswith(".toml"):
            packs.append(loads_pack(entry.read_text(encoding="utf-8"), entry.name))
    seen: set[tuple[str, str]] = set()
    for pack in packs:
        if (pack.id, pack.version) in seen:
            raise InvalidRulePack([PackProblem(pack.label, "file", "unique-version",
                                               "two shipped files carry this id and version.")])
        seen.add((pack.id, pack.version))
    return tuple(sorted(packs, key=lambda p: (p.id, version_key(p.version))))


def list_packs() -> tuple[tuple[str, str], ...]:
    """``(id, version)`` of every shipped pack."""
    return tuple((p.id, p.version) for p in shipped_packs())


def get_pack(pack_id: str, version: str | None = None) -> RulePack:
    """The shipped pack ``pack_id`` at ``version`` (default: its latest release)."""
    candidates = [p for p in shipped_packs() if p.id == pack_id]
    if not candidates:
        known = ", ".join(sorted({p.id for p in shipped_packs()}))
        raise UnknownRulePack(f"No rule pack {pack_id!r}; shipped packs: {known}.")
    if version is None:
        return candidates[-1]
    for pack in candidates:
        if pack.version == version:
            return pack
    versions = ", ".join(p.version for p in candidates)
    raise UnknownRulePack(f"Rule pack {pack_id!r} has no version {version!r}; it has {versions}.")
