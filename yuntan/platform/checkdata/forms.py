"""Forms of the cross-check data page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuntan.platform.checkdata.models import GreenKind

DATE = forms.DateInput(attrs={"type": "date"})


class _WithField(forms.Form):
    field_id = forms.ChoiceField(label=_("field"))

    def __init__(self, *args: Any, field_choices: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_id"].choices = field_choices  # type: ignore[attr-defined]


class _WithEvidence(forms.Form):
    evidence_id = forms.TypedChoiceField(label=_("scanned document (attached evidence)"),
                                         coerce=int, required=False, empty_value=None)

    def set_evidence(self, choices: list[tuple[Any, str]]) -> None:
        self.fields["evidence_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *choices]


class MeterUploadForm(_WithField):
    file = forms.FileField(label=_("meter readings (CSV)"), help_text=_(
        "Columns: time, meter, unit and either reading (cumulative register) or consumption "
        "(of the interval ending at the time); Chinese or English headers."))


class FeedForm(_WithField):
    name = forms.CharField(label=_("name of the monitoring system"), max_length=200)


class BillForm(_WithField, _WithEvidence):
    supplier = forms.CharField(label=_("supplier"), max_length=200)
    number = forms.CharField(label=_("bill or invoice number"), max_length=100)
    period_start = forms.DateField(label=_("covers from"), widget=DATE)
    period_end = forms.DateField(label=_("covers to (inclusive)"), widget=DATE)
    quantity = forms.FloatField(label=_("quantity"), min_value=0)
    unit = forms.CharField(label=_("unit"), max_length=32)


class GreenForm(_WithEvidence):
    kind = forms.ChoiceField(label=_("kind"), choices=GreenKind.choices)
    reference = forms.CharField(label=_("certificate numbers or contract reference"),
                                max_length=200)
    quantity = forms.FloatField(label=_("quantity"), min_value=0)
    unit = forms.CharField(label=_("unit"), max_length=32, initial="MWh")
    period_start = forms.DateField(label=_("generation or delivery from"), widget=DATE)
    period_end = forms.DateField(label=_("generation or delivery to (inclusive)"),
                                 widget=DATE)
