"""Load the shipped reference data (factor datasets, rule packs) into the database and create
the ledger's checkpoint signing key when there is none; safe to repeat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuntan.errors import YuntanLcaError
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.ledger.keys import current_key_id, generate_key, keys_dir
from yuntan.platform.rulepacks.actions import load_shipped_rule_packs


class Command(BaseCommand):
    help = ("载入随平台发布的参考数据（排放因子、核算规则）/ Load the shipped reference data "
            "(factors, rule packs)")

    def handle(self, *args: Any, **options: Any) -> None:
        # Checkpoints are on by default: they need a signing key from the first entry on.
        if current_key_id() is None:
            self.stdout.write(f"账本签名密钥已生成 / ledger signing key generated: "
                              f"{generate_key()} in {keys_dir()}")
        try:
            factors = load_shipped_factors()
            packs_added, packs_present = load_shipped_rule_packs()
        except YuntanLcaError as exc:
            raise CommandError(str(exc)) from exc
        added, present = len(factors.added), len(factors.present)
        self.stdout.write(
            f"排放因子版本：新增 {added}，已存在 {present} / factor versions: {added} added, "
            f"{present} already present"
        )
        self.stdout.write(
            f"核算规则版本：新增 {packs_added}，已存在 {packs_present} / rule pack versions: "
            f"{packs_added} added, {packs_present} already present"
        )

