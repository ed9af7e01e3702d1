"""Turn the verified results of one product category, year and region into a draft factor
dataset (production-weighted; at least 3 enterprises, none dominant)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.platform.studies.aggregate import AggregationRefused, aggregate, draft_from_aggregate


class Command(BaseCommand):
    help = ("由平台已核查结果生成省级平均排放因子草稿 / Make a draft provincial average "
            "factor from the platform's verified results")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", help="rule pack id, e.g. coffee")
        parser.add_argument("variant", help="product variant, e.g. green")
        parser.add_argument("year", type=int, help="reference year, e.g. 2022")
        parser.add_argument("--region", default="CN-YN",
                            help="CN-YN (the province) or a prefecture's GB/T 2260 code")
        parser.add_argument("--code", help="factor dataset id (default: derived)")
        parser.add_argument("--curator", required=True,
                            help="user name of the curator who owns the draft")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["curator"]).first()
        if user is None or not user.has_perm("factors.add_factorversion"):
            raise CommandError(f"{options['curator']!r} is not a factor curator.")
        try:
            result = aggregate(options["pack"], options["variant"], options["year"],
                               options["region"])
        except AggregationRefused as exc:
            raise CommandError(f"未生成 / nothing made: {exc}") from exc
        code = options["code"] or (f"{options['pack']}-{options['variant']}-"
                                   f"{options['region']}-platform-average")
        draft = draft_from_aggregate(result, code=code, created_by=user)
        self.stdout.write(
            f"草稿 / draft {draft}: {result.total_kg_co2e:.6g} kg CO2e per declared unit, "
            f"{result.enterprises} 家企业 / enterprises, {result.studies} 项核算 / studies")
