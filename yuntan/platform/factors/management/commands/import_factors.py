"""Import factor versions from Excel (.xlsx), a zip of the CSV pair or a folder with it;
all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.errors import YuntanLcaError
from yuntan.platform.factors.exchange import import_factors


class Command(BaseCommand):
    help = "导入排放因子（Excel 或 CSV，全部有效才写入）/ Import factor datasets (Excel or CSV, " \
           "stored only if the whole file is valid)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path,
                            help="file.xlsx, file.zip or a folder with datasets.csv + "
                                 "values.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = import_factors(options["source"])
        except (YuntanLcaError, OSError) as exc:
            # The message lists every problem, one a line.
            raise CommandError(f"未导入任何数据 / nothing imported: {exc}") from exc
        added, present = len(loaded.added), len(loaded.present)
        self.stdout.write(f"新增 {added}，已存在 {present} / {added} added, {present} already "
                          f"present")
