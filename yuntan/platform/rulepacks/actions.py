"""Named state changes of the rule packs in the platform; each runs in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources

from django.db import transaction

from yuntan.platform.rulepacks.models import RulePackVersion, Status
from yuntan.rules import RulePackError, loads_pack


class ChangedRulePackVersion(RulePackError):
    """A pack version that is already loaded with other content (versions are immutable)."""


def shipped_pack_sources() -> list[tuple[str, str]]:
    """``(file name, TOML text)`` of every pack shipped in ``yuntan/data/rules``."""
    folder = resources.files("yuntan.data.rules")
    return sorted((entry.name, entry.read_text(encoding="utf-8"))
                  for entry in folder.iterdir() if entry.name.endswith(".toml"))


@transaction.atomic
def load_rule_packs(sources: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """Store the packs of ``(file name, TOML text)`` not loaded yet; returns (added, present).

    The same content again is left as it is; other content under a loaded id and version
    raises :class:`ChangedRulePackVersion` naming the file, and an invalid pack raises
    :class:`yuntan.rules.InvalidRulePack`. All or nothing: one bad file stores nothing.
    """
    added = present = 0
    for name, text in sources:
        pack = loads_pack(text, name)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        stored = RulePackVersion.objects.filter(pack_id=pack.id, version=pack.version).first()
        if stored is not None:
            if stored.sha256 != digest:
                raise ChangedRulePackVersion(
                    f"{name}: rule pack {pack.id} {pack.version} is already loaded with other "
                    f"content (from {stored.source_name}, sha256 {stored.sha256[:12]}…; this "
                    f"file {digest[:12]}…). A loaded version never changes: give the new "
                    f"rules a new version in a new file. / {name}：核算规则 {pack.id} "
                    f"{pack.version} 已以不同内容载入，已载入的版本不可修改，请使用新版本号。"
                )
            present += 1
            continue
        RulePackVersion.objects.create(
            pack_id=pack.id, version=pack.version, name_zh=pack.name_zh, name_en=pack.name_en,
            source_name=name, source_toml=text, sha256=digest,
        )
        added += 1
    return added, present


def load_shipped_rule_packs() -> tuple[int, int]:
    """Load the packs of ``yuntan/data/rules`` (idempotent)."""
    return load_rule_packs(shipped_pack_sources())


@transaction.atomic
def withdraw_rule_pack_version(version: RulePackVersion) -> None:
    """Withdraw a version: no new data is collected with it; studies that pinned it keep it."""
    version.status = Status.WITHDRAWN
    version.save(update_fields=["status"])
