"""Pages of background LCI databases: list and upload (a background job), one database with
its linking report and processes, one process's footprint, and a factor dataset draft made
from it for the curators' review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuntan.errors import YuntanLcaError
from yuntan.platform.accounts.access import get_or_404, membership_of, visible
from yuntan.platform.accounts.models import Role
from yuntan.platform.factors.actions import FactorValueInput, create_draft_version
from yuntan.platform.factors.models import Category, FactorDataset
from yuntan.platform.jobs.runner import submit
from yuntan.platform.lci.importer import import_lci_database, keep_upload, process_footprint
from yuntan.platform.lci.models import LciDatabase, LciImpactCategory, LciProcess

PROCESSES_PER_PAGE = 50
UPLOADERS = (Role.FACTOR_CURATOR, Role.ENTERPRISE_ADMIN, Role.PLATFORM_ADMIN)


class UploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    file = forms.FileField(label=gettext_lazy("openLCA JSON-LD package (.zip)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(gettext_lazy("Upload the .zip package that openLCA "
                                                     "exports as JSON-LD."))
        return upload


class DeriveForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("identifier"), max_length=120)
    name_zh = forms.CharField(label=gettext_lazy("Chinese name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("category"), choices=Category.choices)
    version = forms.CharField(label=gettext_lazy("version"), max_length=40)
    region = forms.CharField(label=gettext_lazy("region"), max_length=32)


def _can_upload(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in UPLOADERS


@login_required
def database_list(request: HttpRequest) -> HttpResponse:
    can_upload = _can_upload(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            membership = membership_of(request.user)
            assert membership is not None
            # The province's curators share their databases; an enterprise keeps its own.
            owner = None if membership.role in (Role.FACTOR_CURATOR, Role.PLATFORM_ADMIN) \
                else membership.organisation_id
            try:
                path, sha256, size = keep_upload(form.cleaned_data["file"])
            except YuntanLcaError as exc:
                form.add_error("file", str(exc))
            else:
                job = submit(import_lci_database,
                             _("Import %(name)s") % {"name": form.cleaned_data["name"]},
                             {"path": str(path), "name": form.cleaned_data["name"],
                              "organisation_id": owner,
                              "file_name": form.cleaned_data["file"].name[:255],
                              "sha256": sha256, "size": size, "user_id": request.user.pk},
                             user=request.user)
                return redirect("jobs:detail", job_id=job.pk)
    return render(request, "lci/list.html", {
        "databases": visible(LciDatabase, request.user),
        "form": form if can_upload else None,
    }, status=400 if request.method == "POST" else 200)


@login_required
def database_detail(request: HttpRequest, pk: int) -> HttpResponse:
    database = get_or_404(LciDatabase, request.user, pk=pk)
    query = request.GET.get("q", "").strip()
    processes = visible(LciProcess, request.user).filter(database=database)
    if query:
        processes = processes.filter(Q(name__icontains=query) | Q(product__icontains=query)
                                     | Q(category__icontains=query) | Q(uuid=query))
    page = Paginator(processes, PROCESSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lci/detail.html", {
        "database": database, "page": page, "query": query,
        "categories": visible(LciImpactCategory, request.user).filter(database=database),
    })


@login_required
def process_detail(request: HttpRequest, pk: int, uuid: str) -> HttpResponse:
    database = get_or_404(LciDatabase, request.user, pk=pk)
    process = get_or_404(LciProcess, request.user, database=database, uuid=uuid)
    categories = visible(LciImpactCategory, request.user).filter(database=database)
    chosen = request.GET.get("category") or None
    if chosen is not None and not categories.filter(uuid=chosen).exists():
        chosen = None
    error = ""
    try:
        result = process_footprint(database, process.uuid, chosen)
    except YuntanLcaError as exc:
        result, error = None, str(exc)
    can_derive = (request.user.has_perm("factors.add_factorversion")
                  and database.organisation_id is None)
    initial = {"code": f"lci-{process.uuid[:8]}", "name_zh": process.name[:200],
               "name_en": process.name[:200], "version": f"lci-{database.pk}",
               "region": process.location[:32] or "GLOBAL", "category": Category.MATERIAL}
    return render(request, "lci/process.html", {
        "database": database, "process": process, "result": result, "error": error,
        "categories": categories, "chosen": chosen,
        "form": DeriveForm(initial=initial) if can_derive and result else None,
    })


@login_required
@require_POST
def derive_factor(request: HttpRequest, pk: int, uuid: str) -> HttpResponse:
    """A draft factor version whose CO2e per unit is the process's footprint, sourced to the
    imported database; it goes through review and publication like any other draft."""
    if not request.user.has_perm("factors.add_factorversion"):
        raise PermissionDenied
    database = get_or_404(LciDatabase, request.user, pk=pk)
    if database.organisation_id is not None:
        # An organisation's own database is not a public source for a provincial factor.
        raise PermissionDenied
    process = get_or_404(LciProcess, request.user, database=database, uuid=uuid)
    form = DeriveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields of the factor dataset."))
        return redirect("lci:process", pk=database.pk, uuid=process.uuid)
    chosen = request.POST.get("impact_category") or None
    result = process_footprint(database, process.uuid, chosen)
    data = form.cleaned_data
    dataset = FactorDataset.objects.filter(code=data["code"]).first()
    if dataset is None:
        dataset = FactorDataset(code=data["code"], name_zh=data["name_zh"],
                                name_en=data["name_en"], category=data["category"],
                                unit=process.unit)
    elif dataset.unit != process.unit:
        messages.error(request, _("%(code)s is per %(unit)s, the process per %(other)s.")
                       % {"code": dataset.code, "unit": dataset.unit, "other": process.unit})
        return redirect("lci:process", pk=database.pk, uuid=process.uuid)
    per_unit = result["total"] / process.amount if process.amount else result["total"]
    method = result["category"] or "GWP100 AR6 (Yuntan)"
    draft = create_draft_version(
        dataset, created_by=request.user,  # type: ignore[arg-type]
        fields={
            "version": data["version"], "region": data["region"], "method": "cradle_to_gate",
            "gwp_set": "" if result["category"] else "AR6",
            "source_publisher": database.name[:300],
            "source_document": f"{process.name} ({process.uuid}), {method}"[:500],
            "source_quality": "secondary", "source_url": "",
            "note": _("Computed by Yuntan from the imported background database %(name)s "
                      "(SHA-256 %(sha)s).") % {"name": database.name, "sha": database.sha256},
        },
        values=[FactorValueInput("CO2e", "fossil", per_unit,
                                 _("footprint per %(unit)s") % {"unit": process.unit})],
    )
    messages.success(request, _("Draft %(version)s created; another curator reviews it.")
                     % {"version": draft})
    return redirect(reverse("factors:detail", args=[dataset.code]))
