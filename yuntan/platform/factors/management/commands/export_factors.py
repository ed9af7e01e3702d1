"""Export factor versions to Excel (.xlsx) or a CSV pair, with bilingual headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuntan.platform.factors.exchange import export_factors
from yuntan.platform.factors.models import FactorVersion, Status


class Command(BaseCommand):
    help = "导出排放因子（Excel 或 CSV）/ Export factor datasets (Excel or CSV)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path,
                            help="file.xlsx, or a folder for datasets.csv + values.csv")
        parser.add_argument("--include-drafts", action="store_true",
                            help="also export draft and reviewed versions")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = FactorVersion.objects.all()
        if not options["include_drafts"]:
            versions = versions.filter(
                status__in=(Status.PUBLISHED, Status.DEPRECATED, Status.PLACEHOLDER))
        export_factors(versions, options["target"])
        self.stdout.write(f"已导出 {versions.count()} 个因子版本 / exported "
                          f"{versions.count()} factor versions to {options['target']}")
