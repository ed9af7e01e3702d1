"""Forms of products, studies and scenarios."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuntan.errors import YuntanLcaError
from yuntan.gwp import gwp_set_names
from yuntan.platform.studies.models import Product, Study, SupplierFootprint
from yuntan.platform.studies.plausible import footprint_problem
from yuntan.rules import shipped_packs
from yuntan.units import parse_unit


def _latest_packs() -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for pack in shipped_packs():  # sorted by id and version: the last one wins
        latest[pack.id] = pack
    return latest


def _label(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") and en else zh


class ProductForm(forms.ModelForm[Product]):
    rule_pack_id = forms.ChoiceField(label=_("product category (rule pack)"))
    variant = forms.ChoiceField(label=_("variant"))

    class Meta:
        model = Product
        fields = ("name_zh", "name_en", "rule_pack_id", "variant", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        packs = _latest_packs()
        self.fields["rule_pack_id"].choices = [  # type: ignore[attr-defined]
            (pack.id, _label(pack.name_zh, pack.name_en)) for pack in packs.values()]
        self.fields["variant"].choices = [  # type: ignore[attr-defined]
            (f"{v.id}", f"{_label(pack.name_zh, pack.name_en)} — {_label(v.name_zh, v.name_en)}")
            for pack in packs.values() for v in pack.variants]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pack = _latest_packs().get(data.get("rule_pack_id", ""))
        if pack is not None and data.get("variant") not in {v.id for v in pack.variants}:
            self.add_error("variant", _("Choose a variant of the chosen product category."))
        return data


class StudyForm(forms.ModelForm[Study]):
    gwp_set = forms.ChoiceField(label=_("GWP set"), initial="AR6")

    class Meta:
        model = Study
        fields = ("title", "period_start", "period_end", "gwp_set")
        widgets = {  # noqa: RUF012  (Django reads this class attribute)
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gwp_set"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in gwp_set_names()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    note = forms.CharField(label=_("measures of the scenario"), widget=forms.Textarea,
                           required=False)


class EvidenceForm(forms.Form):
    field_id = forms.ChoiceField(label=_("field"))
    file = forms.FileField(label=_("file"))

    def __init__(self, *args: Any, field_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_id"].choices = field_choices  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("filled template (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.YUNTAN_WORKBOOK_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; a filled template is much smaller.")
                % {"limit": settings.YUNTAN_WORKBOOK_MAX_MB})
        return upload


class SupplierFootprintForm(forms.ModelForm[SupplierFootprint]):
    gwp_set = forms.ChoiceField(label=_("GWP set"), initial="AR6")

    class Meta:
        model = SupplierFootprint
        fields = ("supplier", "product", "unit", "kg_co2e_per_unit", "gwp_set",
                  "reference_year", "evidence")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gwp_set"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in gwp_set_names()]

    def clean_unit(self) -> str:
        unit = str(self.cleaned_data["unit"]).strip()
        try:
            parse_unit(unit)
        except YuntanLcaError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return unit

    def clean_kg_co2e_per_unit(self) -> float:
        value = float(self.cleaned_data["kg_co2e_per_unit"])
        if not math.isfinite(value) or value < 0:
            raise forms.ValidationError(_("Enter a footprint of zero or more."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "unit" in cleaned and "kg_co2e_per_unit" in cleaned:
            problem = footprint_problem(cleaned["kg_co2e_per_unit"], cleaned["unit"])
            if problem:
                self.add_error("kg_co2e_per_unit", problem)
        return cleaned
