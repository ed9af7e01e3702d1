from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yuntan.platform.rulepacks.actions import withdraw_rule_pack_version
from yuntan.platform.rulepacks.models import RulePackVersion


@admin.register(RulePackVersion)
class RulePackVersionAdmin(admin.ModelAdmin[RulePackVersion]):
    """Read-only: versions come from files (load_reference_data); they can be withdrawn."""

    list_display = ("pack_id", "version", "name_zh", "status", "loaded_at", "source_name")
    list_filter = ("status", "pack_id")
    readonly_fields = ("pack_id", "version", "name_zh", "name_en", "source_name",
                       "source_toml", "sha256", "loaded_at", "status")
    actions = ["withdraw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Withdraw the selected rule pack versions"),
                  permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[RulePackVersion]) -> None:
        for version in queryset:
            withdraw_rule_pack_version(version)
