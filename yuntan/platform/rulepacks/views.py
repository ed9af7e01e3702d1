"""HTML pages of the rule packs: list, detail, template download, template check, form.

Nothing is stored by these pages: the check and the form show what would be collected.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from yuntan.formats.collection import CollectionField, collection_stages, placeholder_labels
from yuntan.formats.excel import (
    InvalidCollectionTemplate,
    read_template,
    template_filename,
    write_template,
)
from yuntan.platform.rulepacks.forms import TemplateUploadForm, collection_form_class
from yuntan.platform.rulepacks.models import RulePackVersion, Status
from yuntan.rules import ActivityData, Finding, RulePack
from yuntan.units import conversion_factor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_pack_version(pack_id: str, version: str) -> RulePackVersion:
    """The loaded version, or 404."""
    return get_object_or_404(RulePackVersion, pack_id=pack_id, version=version)


def get_published_pack_version(pack_id: str, version: str) -> RulePackVersion:
    """The loaded version if data may still be collected with it (not withdrawn), or 404."""
    return get_object_or_404(RulePackVersion, pack_id=pack_id, version=version,
                             status=Status.PUBLISHED)


def _variant(request: HttpRequest, pack: RulePack) -> str:
    """The variant asked for with ``?variant=`` (default the pack's first), or 404."""
    wanted = request.GET.get("variant") or pack.variants[0].id
    if wanted not in {v.id for v in pack.variants}:
        raise Http404(f"rule pack {pack.label} has no variant {wanted!r}")
    return wanted


def _collected(pack: RulePack, variant: str, data: ActivityData) -> list[tuple[Any, list[Any]]]:
    """Per stage, the fields entered: (field, amount, unit, amount in the field's unit)."""
    rows: list[tuple[Any, list[Any]]] = []
    for stage in collection_stages(pack, variant):
        entered: list[tuple[CollectionField, float, str, float]] = []
        for field in stage.fields:
            if field.spec.id in data:
                amount, unit = data[field.spec.id]
                entered.append((field, amount, unit,
                                amount * conversion_factor(unit, field.spec.unit)))
        if entered:
            rows.append((stage, entered))
    return rows


def _result_context(pack: RulePack, variant: str, data: ActivityData,
                    findings: tuple[Finding, ...]) -> dict[str, Any]:
    return {"collected": _collected(pack, variant, data), "findings": findings}


def pack_list(request: HttpRequest) -> HttpResponse:
    versions = sorted(RulePackVersion.objects.all(), key=lambda v: v.sort_key)
    return render(request, "rulepacks/list.html",
                  {"rows": [(v, v.rule_pack()) for v in versions]})


def pack_detail(request: HttpRequest, pack_id: str, version: str) -> HttpResponse:
    stored = get_pack_version(pack_id, version)
    pack = stored.rule_pack()
    variant = _variant(request, pack)
    processes = {s.id: [p for p in pack.processes if p.stage == s.id] for s in pack.stages}
    return render(request, "rulepacks/detail.html", {
        "stored": stored, "pack": pack, "variant": pack.variant(variant),
        "stages": collection_stages(pack, variant),
        "stage_processes": [(s, processes[s.id]) for s in pack.stages],
        "placeholders": placeholder_labels(pack),
    })


def template_download(request: HttpRequest, pack_id: str, version: str) -> HttpResponse:
    pack = get_published_pack_version(pack_id, version).rule_pack()
    variant = _variant(request, pack)
    workbook = io.BytesIO()
    write_template(pack, workbook, variant)
    response = HttpResponse(workbook.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{template_filename(pack, variant)}"')
    return response


@login_required
def template_check(request: HttpRequest, pack_id: str, version: str) -> HttpResponse:
    stored = get_published_pack_version(pack_id, version)
    pack = stored.rule_pack()
    context: dict[str, Any] = {"stored": stored, "pack": pack}
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            read = read_template(pack, io.BytesIO(form.cleaned_data["workbook"].read()))
        except InvalidCollectionTemplate as exc:
            context["problems"] = exc.problems
            status = 422
        else:
            context["variant"] = pack.variant(read.variant)
            context.update(_result_context(pack, read.variant, read.activity_data,
                                           read.findings))
    elif request.method == "POST":
        status = 422
    context["form"] = form
    return render(request, "rulepacks/check.html", context, status=status)


def collection_form(request: HttpRequest, pack_id: str, version: str) -> HttpResponse:
    stored = get_published_pack_version(pack_id, version)
    pack = stored.rule_pack()
    variant = _variant(request, pack)
    form = collection_form_class(pack, variant)(request.POST or None)
    context: dict[str, Any] = {"stored": stored, "pack": pack, "form": form,
                               "variant": pack.variant(variant)}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            context.update(_result_context(pack, variant, form.activity_data, form.findings))
        else:
            status = 422
    return render(request, "rulepacks/form.html", context, status=status)
