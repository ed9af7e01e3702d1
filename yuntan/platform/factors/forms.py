"""Forms of the factor pages: search, and the curator's dataset, version and values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuntan.errors import UnknownUnit
from yuntan.formats.factor_csv import METHODS
from yuntan.gwp import Origin, gases, gwp_set_names
from yuntan.platform.factors.actions import RESERVED_CODES, SUPERSEDABLE, FactorValueInput
from yuntan.platform.factors.models import (
    PEDIGREE_INDICATORS,
    Category,
    FactorDataset,
    FactorVersion,
    SourceQuality,
    Status,
)
from yuntan.units import parse_unit

ORIGIN_LABELS = {
    Origin.FOSSIL: _("fossil"),
    Origin.BIOGENIC: _("biogenic"),
    Origin.BIOGENIC_UPTAKE: _("biogenic uptake (removal)"),
    Origin.LAND_USE_CHANGE: _("land-use change"),
}

Choices = list[tuple[Any, Any]]


def gas_label(gas: str) -> str:
    """``CH4 — 甲烷`` / ``CH4 — Methane``, in the active language."""
    found = gases().get(gas)
    if found is None:
        return gas
    name = found.name_zh if (get_language() or "").startswith("zh") else found.name_en
    return f"{gas} — {name}"


class SearchForm(forms.Form):
    """Text search over identifier and names; filters by category, region, year and status."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("category"), required=False)
    region = forms.ChoiceField(label=_("region"), required=False)
    year = forms.IntegerField(label=_("reference year"), required=False, min_value=1900,
                              max_value=2100)
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args: Any, statuses: Iterable[str], regions: Iterable[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: Choices = [("", _("all"))]
        self._set_choices("category", every + list(Category.choices))
        self._set_choices("region", every + [(r, r) for r in dict.fromkeys(regions)])
        self._set_choices("status", every + [(s, Status(s).label) for s in statuses])

    def _set_choices(self, name: str, choices: Choices) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty criteria; an invalid one is left out (and shown as an error)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if value not in ("", None)}


class DatasetForm(forms.ModelForm[FactorDataset]):
    class Meta:
        model = FactorDataset
        fields: ClassVar = ["code", "name_zh", "name_en", "category", "unit"]
        error_messages: ClassVar = {
            "code": {"unique": _("A factor dataset with this identifier exists already.")},
        }
        help_texts: ClassVar = {
            "code": _("Letters, digits, hyphens and underscores, e.g. "
                      "electricity-grid-average-CN-YN."),
            "unit": _("The reference unit the values are per, e.g. kWh, t, t*km."),
        }

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code.lower() in RESERVED_CODES:
            raise ValidationError(_("“%(code)s” is reserved; choose another identifier."),
                                  params={"code": code})
        return code

    def clean_unit(self) -> str:
        unit: str = self.cleaned_data["unit"]
        try:
            parse_unit(unit)
        except UnknownUnit as exc:
            raise ValidationError(
                _("“%(unit)s” is not a unit the platform knows, e.g. kg, t, kWh, t*km."),
                params={"unit": unit},
            ) from exc
        return unit


class VersionForm(forms.ModelForm[FactorVersion]):
    """The version's label, scope, source and quality; ``supersedes`` lists current versions.

    It only validates: the curation actions store what it cleaned.
    """

    class Meta:
        model = FactorVersion
        fields: ClassVar = [
            "version", "region", "reference_year", "valid_from", "valid_to", "method",
            "gwp_set", "source_publisher", "source_document", "source_year", "source_url",
            "source_quality", "licence", "uncertainty_gsd", *PEDIGREE_INDICATORS, "note",
            "conservative_default", "change_reason", "supersedes",
        ]
        widgets: ClassVar = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "change_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, dataset: FactorDataset | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.fields["gwp_set"] = forms.ChoiceField(
            label=_("GWP set of CO2e values"), required=False,
            choices=[("", _("none or not stated"))] + [(n, n) for n in gwp_set_names()],
        )
        # The methods of the exchange format, so every version exports and imports again.
        self.fields["method"] = forms.ChoiceField(
            label=_("method"), choices=[("", "---------")] + [(m, m) for m in METHODS])
        self.fields["source_quality"].initial = SourceQuality.UNVERIFIED
        for name in ("source_publisher", "source_document"):
            self.fields[name].required = True
        supersedes = self.fields["supersedes"]
        assert isinstance(supersedes, forms.ModelChoiceField)
        current: QuerySet[FactorVersion] = FactorVersion.objects.none()
        if dataset is not None and dataset.pk is not None:
            current = dataset.versions.filter(status__in=SUPERSEDABLE)
        supersedes.queryset = current
        supersedes.empty_label = _("none (an additional version)")
        supersedes.help_text = _("On publication the version chosen here becomes deprecated.")

    def clean_version(self) -> str:
        label: str = self.cleaned_data["version"].strip()
        if "/" in label:
            raise ValidationError(_("A version label cannot contain “/”."))
        if self.dataset is not None and self.dataset.pk is not None and (
            self.dataset.versions.filter(version=label).exclude(pk=self.instance.pk).exists()
        ):
            raise ValidationError(_("This dataset already has a version “%(version)s”."),
                                  params={"version": label})
        return label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of validity is before its start."))
        scores = [cleaned.get(name) for name in PEDIGREE_INDICATORS]
        if any(s is not None for s in scores) and any(s is None for s in scores):
            self.add_error(None, _("Give all five pedigree scores or none."))
        return cleaned

    def version_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ValueForm(forms.Form):
    """kg of one gas (by origin) per reference unit."""

    gas = forms.ChoiceField(
        label=_("gas"),
        error_messages={"invalid_choice": _(
            "Unknown gas “%(value)s”: choose one of the gases of the GWP tables.")},
    )
    origin = forms.ChoiceField(
        label=_("origin"),
        initial=Origin.FOSSIL.value,
        choices=[(o.value, ORIGIN_LABELS[o]) for o in Origin],
        error_messages={"invalid_choice": _(
            "Unknown origin “%(value)s”: fossil, biogenic, biogenic uptake or land-use change.")},
    )
    amount_kg_per_unit = forms.FloatField(
        label=_("kg per unit"),
        error_messages={"invalid": _(
            "Enter a finite number of kg per reference unit, e.g. 0.1073.")},
    )
    source_note = forms.CharField(label=_("source note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gas = self.fields["gas"]
        assert isinstance(gas, forms.ChoiceField)
        gas.choices = [("", "---------")] + [(g, gas_label(g)) for g in gases()]

    def value_input(self) -> FactorValueInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}
        return FactorValueInput(**data)


class BaseValueFormSet(forms.BaseFormSet[ValueForm]):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[tuple[str, str]] = set()
        for form in self.filled_forms():
            key = (form.cleaned_data["gas"], form.cleaned_data["origin"])
            if key in seen:
                raise ValidationError(_("%(gas)s (%(origin)s) appears twice."), params={
                    "gas": key[0], "origin": ORIGIN_LABELS.get(Origin(key[1]), key[1])})
            seen.add(key)
        if not seen:
            raise ValidationError(_("Enter at least one value."))

    def filled_forms(self) -> list[ValueForm]:
        """Forms holding a value: neither left blank nor ticked for deletion."""
        return [f for f in self.forms
                if f.cleaned_data.get("gas") and not f.cleaned_data.get("DELETE")]

    def value_inputs(self) -> list[FactorValueInput]:
        return [f.value_input() for f in self.filled_forms()]


ValueFormSet = cast(type[BaseValueFormSet], forms.formset_factory(
    ValueForm, formset=BaseValueFormSet, extra=3, can_delete=True))


class ImportForm(forms.Form):
    """An Excel workbook or a zip of the CSV pair, or the two CSV files themselves."""

    file = forms.FileField(
        label=_("Excel workbook (.xlsx) or zip of datasets.csv and values.csv"),
        required=False)
    datasets_csv = forms.FileField(label=_("or datasets.csv"), required=False)
    values_csv = forms.FileField(label=_("with values.csv"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        single = cleaned.get("file")
        pair = [cleaned.get("datasets_csv"), cleaned.get("values_csv")]
        if single and any(pair):
            raise ValidationError(_("Upload either one file or the two CSV files, not both."))
        if single:
            if _suffix(single) not in ("xlsx", "zip"):
                self.add_error("file", _("Upload an Excel workbook (.xlsx) or a .zip."))
        elif all(pair):
            for name in ("datasets_csv", "values_csv"):
                if _suffix(cleaned[name]) != "csv":
                    self.add_error(name, _("Upload a .csv file."))
        else:
            raise ValidationError(_("Choose an Excel workbook or a zip, or both CSV files."))
        return cleaned

    def upload(self) -> tuple[str, list[Any]]:
        """The reader (``xlsx``, ``zip`` or ``csv``) and the files, in the order it reads."""
        single = self.cleaned_data.get("file")
        if single:
            return _suffix(single), [single]
        return "csv", [self.cleaned_data["datasets_csv"], self.cleaned_data["values_csv"]]


def _suffix(upload: Any) -> str:
    return str(upload.name).rsplit(".", 1)[-1].lower() if "." in str(upload.name) else ""
