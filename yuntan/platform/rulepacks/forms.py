"""The data collection form of a rule pack as a Django form (数据收集表), and the upload form.

:func:`collection_form_class` builds one form class per pack and variant: a number and a
unit per activity-data field, grouped by stage. Its ``clean()`` checks the entries with
:func:`yuntan.formats.collection.check_entries`, the same check the Excel template's reader
runs, so the same data gives the same activity data and findings through either.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yuntan.formats.collection import (
    REQUIREMENT_LABELS,
    CollectionField,
    CollectionStage,
    Column,
    EntryProblem,
    check_entries,
    collection_stages,
)
from yuntan.rules import ActivityData, Finding, RulePack

UNIT_SUFFIX = "__unit"


def chinese() -> bool:
    """Whether the current language is Chinese (pack texts carry ``_zh`` and ``_en``)."""
    return (get_language() or "zh-hans").startswith("zh")


def unit_field_name(field_id: str) -> str:
    return f"{field_id}{UNIT_SUFFIX}"


class CollectionForm(forms.Form):
    """Base of the generated forms; ``pack``, ``variant`` and ``stages`` are set per class."""

    pack: ClassVar[RulePack]
    variant: ClassVar[str]
    stages: ClassVar[tuple[CollectionStage, ...]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity_data: ActivityData = {}
        self.findings: tuple[Finding, ...] = ()
        self.problems: tuple[EntryProblem, ...] = ()
        zh = chinese()
        # Labels follow the language of the request, not of the moment the class was built.
        for stage in self.stages:
            for field in stage.fields:
                spec = field.spec
                value = self.fields[spec.id]
                value.label = spec.name_zh if zh else spec.name_en
                value.help_text = spec.help_zh if zh else spec.help_en
                self.fields[unit_field_name(spec.id)].label = (
                    f"{value.label}（单位）" if zh else f"{value.label} (unit)")

    def groups(self) -> list[tuple[CollectionStage, list[tuple[CollectionField, forms.BoundField,
                                                              forms.BoundField, str]]]]:
        """Per stage: each field with its value and unit inputs and its requirement label."""
        zh = chinese()
        return [
            (stage, [
                (field, self[field.spec.id], self[unit_field_name(field.spec.id)],
                 REQUIREMENT_LABELS[field.requirement][0 if zh else 1])
                for field in stage.fields
            ])
            for stage in self.stages
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entries: dict[str, tuple[object, object]] = {}
        refused: set[str] = set()  # Django already refused the entry ("abc", a forged unit)
        for stage in self.stages:
            for field in stage.fields:
                field_id = field.spec.id
                if field_id in self.errors or unit_field_name(field_id) in self.errors:
                    refused.add(field_id)
                    continue
                value = cleaned.get(field_id)
                if value is not None:
                    entries[field_id] = (value, cleaned.get(unit_field_name(field_id)))
        checked = check_entries(self.pack, entries, self.variant)
        problems = tuple(p for p in checked.problems if p.field not in refused)
        zh = chinese()
        for problem in problems:
            name = problem.field if problem.column is Column.VALUE else (
                unit_field_name(problem.field) if problem.field else None)
            message = problem.message_zh if zh else problem.message_en
            self.add_error(name if name in self.fields else None, message)
        self.problems = problems
        self.activity_data = checked.activity_data
        self.findings = checked.findings
        cleaned["activity_data"] = dict(checked.activity_data)
        return cleaned


def collection_form_class(pack: RulePack, variant: str | None = None) -> type[CollectionForm]:
    """A form class for ``pack`` and ``variant`` (default: the pack's first variant)."""
    chosen = pack.variant(variant).id
    stages = collection_stages(pack, chosen)
    attributes: dict[str, Any] = {"pack": pack, "variant": chosen, "stages": stages}
    for stage in stages:
        for field in stage.fields:
            # Not required here: whether a blank field is an error depends on the variant,
            # on optional processes and on defaults, which check_entries knows.
            attributes[field.spec.id] = forms.FloatField(
                required=False,
                widget=forms.NumberInput(attrs={"min": "0", "step": "any"}))
            attributes[unit_field_name(field.spec.id)] = forms.ChoiceField(
                choices=[(unit, unit) for unit in field.units], initial=field.spec.unit,
                required=False)
    name = f"CollectionForm_{pack.id}_{pack.version}_{chosen}".replace("-", "_")
    return type(name.replace(".", "_"), (CollectionForm,), attributes)


class TemplateUploadForm(forms.Form):
    """A filled data collection template (.xlsx)."""

    workbook = forms.FileField(label=_("Filled template (.xlsx)"))

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > settings.YUNTAN_WORKBOOK_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; a filled template is much smaller.")
                % {"limit": settings.YUNTAN_WORKBOOK_MAX_MB})
        return upload
