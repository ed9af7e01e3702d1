"""Export factor versions to Excel (.xlsx), a CSV pair or an openLCA JSON-LD package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.errors import YuntanLcaError
from yuntan.platform.factors.exchange import EXPORTERS, export_factors
from yuntan.platform.factors.models import PUBLIC_STATUSES, FactorVersion


class Command(BaseCommand):
    help = ("导出排放因子（Excel、CSV 或 openLCA JSON-LD）/ Export factor datasets (Excel, CSV "
            "or openLCA JSON-LD)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path,
                            help="file.xlsx; a folder (or .zip with --format csv) for "
                                 "datasets.csv + values.csv; file.zip for JSON-LD")
        parser.add_argument("--format", choices=sorted(EXPORTERS),
                            help="default: xlsx for .xlsx, jsonld for .zip, else csv")
        parser.add_argument("--include-drafts", action="store_true",
                            help="also export draft and reviewed versions")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = FactorVersion.objects.all()
        if not options["include_drafts"]:
            versions = versions.filter(status__in=PUBLIC_STATUSES)
        target = options["target"]
        try:
            exported = export_factors(versions, target, options["format"])
        except (YuntanLcaError, OSError) as exc:
            raise CommandError(f"未导出 / nothing exported: {exc}") from exc
        self.stdout.write(f"已导出 {exported.written} 个因子版本 / exported "
                          f"{exported.written} factor versions to {target}")
        for record, reason in exported.left_out:
            self.stdout.write(f"未导出 / left out {record}: {reason}")
