from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

# Set only by the curation actions (create, review, publish), never by hand.
CURATION_FIELDS = ("status", "created_by", "reviewer", "reviewed_at", "published_by",
                   "published_at")


def _frozen(version: FactorVersion | None) -> bool:
    """Only drafts change; every other version is history (published ones are immutable)."""
    return version is not None and version.status != Status.DRAFT


class FactorValueInline(admin.TabularInline[FactorValue, FactorVersion]):
    model = FactorValue
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(FactorVersion)
class FactorVersionAdmin(admin.ModelAdmin[FactorVersion]):
    list_display = ("dataset", "version", "region", "reference_year", "status", "source_quality")
    list_filter = ("status", "source_quality", "dataset__category")
    search_fields = ("dataset__code", "dataset__name_zh", "dataset__name_en")
    inlines = [FactorValueInline]

    readonly_fields = CURATION_FIELDS

    # A version that is no longer a draft opens read-only and cannot be deleted.
    def has_change_permission(self, request: HttpRequest,
                              obj: FactorVersion | None = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest,
                              obj: FactorVersion | None = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(FactorDataset)
class FactorDatasetAdmin(admin.ModelAdmin[FactorDataset]):
    list_display = ("code", "name_zh", "name_en", "category", "unit")
    search_fields = ("code", "name_zh", "name_en")
