from django.contrib import admin

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion


class FactorValueInline(admin.TabularInline[FactorValue, FactorVersion]):
    model = FactorValue
    extra = 0


@admin.register(FactorVersion)
class FactorVersionAdmin(admin.ModelAdmin[FactorVersion]):
    list_display = ("dataset", "version", "region", "reference_year", "status", "source_quality")
    list_filter = ("status", "source_quality", "dataset__category")
    search_fields = ("dataset__code", "dataset__name_zh", "dataset__name_en")
    inlines = [FactorValueInline]


@admin.register(FactorDataset)
class FactorDatasetAdmin(admin.ModelAdmin[FactorDataset]):
    list_display = ("code", "name_zh", "name_en", "category", "unit")
    search_fields = ("code", "name_zh", "name_en")
