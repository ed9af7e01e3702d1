"""HTML pages of the factor database: public browse and search, curator create/review/publish."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntan.errors import YuntanLcaError
from yuntan.platform.factors import plausibility
from yuntan.platform.factors.actions import (
    SUPERSEDABLE,
    FactorCurationError,
    create_draft_version,
    previous_version,
    publish_version,
    review_version,
    update_draft_version,
)
from yuntan.platform.factors.exchange import export_factors
from yuntan.platform.factors.forms import (
    DatasetForm,
    ImportForm,
    SearchForm,
    ValueFormSet,
    VersionForm,
)
from yuntan.platform.factors.models import (
    PUBLIC_STATUSES,
    FactorDataset,
    FactorVersion,
    Status,
)
from yuntan.platform.factors.uploads import (
    FactorUploadTooLarge,
    import_factor_upload,
    keep_upload,
)
from yuntan.platform.jobs.runner import submit

CURATE = "factors.change_factorversion"
IMPORT = "factors.add_factorversion"
PUBLISH = "factors.publish_factorversion"
DATASETS_PER_PAGE = 20

User = AbstractUser | AnonymousUser


def _signed_in(request: HttpRequest) -> AbstractUser:
    """The signed-in user of a view behind ``login_required``."""
    if not isinstance(request.user, AbstractUser):
        raise PermissionDenied
    return request.user


def visible_statuses(user: User) -> tuple[str, ...]:
    """Everyone sees published, deprecated and placeholder versions; curators and publishers
    also drafts and reviewed versions."""
    if user.has_perm(CURATE) or user.has_perm(PUBLISH):
        return tuple(Status)
    return PUBLIC_STATUSES


def _visible_versions(user: User) -> QuerySet[FactorVersion]:
    return FactorVersion.objects.filter(status__in=visible_statuses(user))


def get_dataset_for_user(user: User, code: str) -> FactorDataset:
    """The dataset if the user may see at least one of its versions, else 404."""
    return get_object_or_404(
        FactorDataset, code=code, pk__in=_visible_versions(user).values("dataset"))


def get_version_for_user(user: User, code: str, label: str) -> FactorVersion:
    """One version the user may see, else 404."""
    return get_object_or_404(_visible_versions(user).select_related("dataset"),
                             dataset__code=code, version=label)


def _detail_url(version: FactorVersion) -> str:
    return reverse("factors:detail", args=[version.dataset.code]) + f"#v-{version.pk}"


def _search(request: HttpRequest) -> tuple[SearchForm, QuerySet[FactorDataset],
                                           QuerySet[FactorVersion]]:
    """The search form, the matching datasets and the versions that matched the version
    filters (all visible ones if none)."""
    versions = _visible_versions(request.user)
    regions = versions.order_by("region").values_list("region", flat=True).distinct()
    form = SearchForm(request.GET, statuses=visible_statuses(request.user), regions=regions)
    wanted = form.filters()
    matching = versions
    if "region" in wanted:
        matching = matching.filter(region=wanted["region"])
    if "year" in wanted:
        matching = matching.filter(reference_year=wanted["year"])
    if "status" in wanted:
        matching = matching.filter(status=wanted["status"])
    datasets = FactorDataset.objects.filter(pk__in=matching.values("dataset"))
    if "q" in wanted:
        text = wanted["q"]
        datasets = datasets.filter(
            Q(code__icontains=text) | Q(name_zh__icontains=text) | Q(name_en__icontains=text))
    if "category" in wanted:
        datasets = datasets.filter(category=wanted["category"])
    return form, datasets, matching


def factor_list(request: HttpRequest) -> HttpResponse:
    form, datasets, matching = _search(request)
    # Each row lists the versions that matched the version filters (all visible ones if none).
    datasets = datasets.prefetch_related(
        Prefetch("versions", queryset=matching, to_attr="shown_versions"))
    page = Paginator(datasets, DATASETS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "factors/list.html", {
        "form": form, "page": page, "search": query.urlencode(),
        "can_import": request.user.has_perm(IMPORT)})


# format → (file name, content type) of the download
DOWNLOADS = {
    "jsonld": ("yuntan-factors-openlca-jsonld.zip", "application/zip"),
    "xlsx": ("yuntan-factors.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("yuntan-factors-csv.zip", "application/zip"),
}


def export(request: HttpRequest) -> HttpResponse:
    """The versions the list shows (same search), as openLCA JSON-LD, Excel or CSV; anyone
    gets the public ones, curators also drafts and reviewed versions."""
    chosen = request.GET.get("format", "jsonld")
    if chosen not in DOWNLOADS:
        raise Http404
    _form, datasets, matching = _search(request)
    name, content_type = DOWNLOADS[chosen]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        try:
            export_factors(matching.filter(dataset__in=datasets), target, chosen)
        except YuntanLcaError as exc:
            messages.error(request, _("Nothing to export: %(reason)s") % {"reason": exc})
            query = request.GET.copy()
            query.pop("format", None)
            return redirect(reverse("factors:list") + (f"?{query.urlencode()}" if query else ""))
        data = target.read_bytes()
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(IMPORT, raise_exception=True)
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload a workbook, a zip or a CSV pair; a background job checks it and stores its
    versions as the uploader's drafts, and its page shows progress or every problem."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        kind, files = form.upload()
        try:
            paths = [keep_upload(upload) for upload in files]
        except FactorUploadTooLarge as exc:
            form.add_error(None, str(exc))
        else:
            names = [str(upload.name)[:200] for upload in files]
            job = submit(import_factor_upload,
                         _("Import factors from %(name)s") % {"name": ", ".join(names)},
                         {"kind": kind, "paths": [str(p) for p in paths], "names": names,
                          "user_id": request.user.pk},
                         user=request.user)
            return redirect("jobs:detail", job_id=job.pk)
    return render(request, "factors/import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def factor_detail(request: HttpRequest, code: str) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, code)
    shown = _visible_versions(request.user)
    versions = (
        shown.filter(dataset=dataset)
        # Newest reference year first; within a year the latest correction first.
        .order_by(F("reference_year").desc(nulls_last=True), "-created_at", "-pk")
        .select_related("dataset", "supersedes", "created_by", "reviewer", "published_by")
        .prefetch_related("values", Prefetch("superseded_by", queryset=shown,
                                             to_attr="shown_successors"))
    )
    can_curate, can_publish = request.user.has_perm(CURATE), request.user.has_perm(PUBLISH)
    if can_curate or can_publish:  # the reviewer sees each draft beside its previous version
        for version in versions:
            if version.status in (Status.DRAFT, Status.REVIEWED):
                previous = previous_version(dataset, version, version.supersedes)
                version.previous_for_review = previous  # type: ignore[attr-defined]
                version.review_diff = plausibility.diff(  # type: ignore[attr-defined]
                    plausibility.as_values(version.values.all()),
                    plausibility.as_values(previous.values.all()) if previous else [])
    return render(request, "factors/detail.html", {
        "dataset": dataset, "versions": versions,
        "can_curate": can_curate, "can_publish": can_publish,
        "max_ratio": plausibility.MAX_RATIO,
    })


def _base_version(dataset: FactorDataset, label: str | None) -> FactorVersion | None:
    """The version a new draft copies: the one asked for, else the newest current one."""
    if label:
        return get_object_or_404(FactorVersion, dataset=dataset, version=label)
    newest = (F("reference_year").desc(nulls_last=True), "-created_at", "-pk")
    current = dataset.versions.filter(status__in=SUPERSEDABLE).order_by(*newest).first()
    return current or dataset.versions.order_by(*newest).first()


def _initial_values(version: FactorVersion) -> list[dict[str, Any]]:
    return [{"gas": v.gas, "origin": v.origin, "amount_kg_per_unit": v.amount_kg_per_unit,
             "source_note": v.source_note} for v in version.values.all()]


def _copy_of(base: FactorVersion | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if base is None:
        return {}, []
    fields = {name: getattr(base, name) for name in VersionForm.Meta.fields
              if name not in ("version", "supersedes")}
    fields["supersedes"] = base.pk if base.status in SUPERSEDABLE else None
    return fields, _initial_values(base)


def _save(version_form: VersionForm, save: Callable[[], FactorVersion]) -> FactorVersion | None:
    """Run a curation action; its refusal becomes an error on the form."""
    try:
        return save()
    except FactorCurationError as exc:
        version_form.add_error(None, str(exc))
        return None


def _saved(request: HttpRequest, draft: FactorVersion) -> HttpResponse:
    messages.success(request, _("Draft %(version)s saved; another curator reviews it next.")
                     % {"version": draft})
    return redirect(_detail_url(draft))


@login_required
@permission_required(CURATE, raise_exception=True)
def new_dataset(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        dataset_form = DatasetForm(request.POST, prefix="dataset")
        version_form = VersionForm(request.POST)
        values = ValueFormSet(request.POST, prefix="values")
        if all([dataset_form.is_valid(), version_form.is_valid(), values.is_valid()]):
            draft = _save(version_form, lambda: create_draft_version(
                dataset_form.save(commit=False), created_by=_signed_in(request),
                fields=version_form.version_fields(), values=values.value_inputs()))
            if draft is not None:
                return _saved(request, draft)
    else:
        dataset_form = DatasetForm(prefix="dataset")
        version_form = VersionForm()
        values = ValueFormSet(prefix="values")
    return render(request, "factors/version_form.html", {
        "dataset_form": dataset_form, "version_form": version_form, "values": values})


@login_required
@permission_required(CURATE, raise_exception=True)
def new_version(request: HttpRequest, code: str) -> HttpResponse:
    dataset = get_object_or_404(FactorDataset, code=code)
    if request.method == "POST":
        version_form = VersionForm(request.POST, dataset=dataset)
        values = ValueFormSet(request.POST, prefix="values")
        if version_form.is_valid() and values.is_valid():
            draft = _save(version_form, lambda: create_draft_version(
                dataset, created_by=_signed_in(request),
                fields=version_form.version_fields(), values=values.value_inputs()))
            if draft is not None:
                return _saved(request, draft)
    else:
        base = _base_version(dataset, request.GET.get("from"))
        fields, initial_values = _copy_of(base)
        version_form = VersionForm(initial=fields, dataset=dataset)
        values = ValueFormSet(initial=initial_values, prefix="values")
    return render(request, "factors/version_form.html", {
        "dataset": dataset, "version_form": version_form, "values": values})


@login_required
@permission_required(CURATE, raise_exception=True)
def edit_version(request: HttpRequest, code: str, version: str) -> HttpResponse:
    found = get_version_for_user(request.user, code, version)
    if found.status != Status.DRAFT:
        # Published (and reviewed, deprecated, placeholder) versions never change.
        messages.error(request, _(
            "%(version)s is %(status)s and cannot change: only drafts can be edited. "
            "Create a new version that supersedes it.")
            % {"version": found, "status": found.get_status_display()})
        return redirect(_detail_url(found))
    if request.method == "POST":
        version_form = VersionForm(request.POST, instance=found, dataset=found.dataset)
        values = ValueFormSet(request.POST, prefix="values")
        if version_form.is_valid() and values.is_valid():
            draft = _save(version_form, lambda: update_draft_version(
                found, editor=_signed_in(request),
                fields=version_form.version_fields(), values=values.value_inputs()))
            if draft is not None:
                return _saved(request, draft)
    else:
        version_form = VersionForm(instance=found, dataset=found.dataset)
        values = ValueFormSet(initial=_initial_values(found), prefix="values")
    return render(request, "factors/version_form.html", {
        "dataset": found.dataset, "editing": found, "version_form": version_form,
        "values": values})


def _transition(request: HttpRequest, code: str, version: str,
                step: Callable[[FactorVersion], FactorVersion], done: str) -> HttpResponse:
    found = get_version_for_user(request.user, code, version)
    try:
        step(found)
    except FactorCurationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"version": found})
    return redirect(_detail_url(found))


@require_POST
@login_required
@permission_required(CURATE, raise_exception=True)
def review(request: HttpRequest, code: str, version: str) -> HttpResponse:
    return _transition(request, code, version,
                       lambda found: review_version(found, reviewer=_signed_in(request)),
                       _("%(version)s is reviewed and can be published."))


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish(request: HttpRequest, code: str, version: str) -> HttpResponse:
    """Publish; when the version corrects one that studies use, recompute them in a
    background job and show its progress and each footprint's change."""
    response = _transition(request, code, version,
                           lambda found: publish_version(found, publisher=_signed_in(request)),
                           _("%(version)s is published."))
    from yuntan.platform.studies.updates import affected_by, recompute_after_publication

    published = get_version_for_user(request.user, code, version)
    if published.status != Status.PUBLISHED:
        return response
    count = affected_by(published).count()
    if not count:
        return response
    job = submit(recompute_after_publication,
                 _("Recompute %(count)s studies with %(version)s") % {
                     "count": count, "version": published},
                 {"version_id": published.pk}, user=request.user)
    messages.info(request, _("%(count)s studies used the version it supersedes; they are "
                             "being recomputed.") % {"count": count})
    return redirect("jobs:detail", job_id=job.pk)
