"""The cross-check data page of a study: meter readings of its product (CSV upload, push
feeds), bills and green electricity documents, and the cross-check findings they give now —
what the verifier will see on submission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntan.checks import CheckInputError, InvalidMeterFile, aggregate_meters, read_meter_csv
from yuntan.platform.accounts.access import get_or_404, visible
from yuntan.platform.checkdata import services
from yuntan.platform.checkdata.forms import BillForm, FeedForm, GreenForm, MeterUploadForm
from yuntan.platform.checkdata.models import (
    BatchSource,
    Bill,
    GreenDocument,
    MeterBatch,
    MeterFeed,
)
from yuntan.platform.studies.access_rules import enterprise_editor
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import StudyError, pack_of
from yuntan.platform.verification.crosschecks import study_checks
from yuntan.rules import Dimension

MAX_CSV_MB = 50


def _study(request: HttpRequest, pk: int) -> Study:
    return get_or_404(Study.objects.select_related("product__organisation"), request.user,
                      pk=pk)


def _field_choices(study: Study) -> list[tuple[str, str]]:
    """The fields that hold a measured quantity (not ratios or factors)."""
    english = (get_language() or "").startswith("en")
    return [(f.id, f.name_en if english else f.name_zh) for f in pack_of(study).fields
            if f.dimension is not Dimension.DIMENSIONLESS]


FORM_OF_ACTION = {"upload_meters": "meter_form", "create_feed": "feed_form",
                  "add_bill": "bill_form", "add_green": "green_form"}


def _forms(study: Study, action: str = "", data: Any = None,
           files: Any = None) -> dict[str, Any]:
    """The page's forms; only the one of ``action`` bound to the posted data."""
    bound = FORM_OF_ACTION.get(action)

    def given(name: str) -> dict[str, Any]:
        return {"data": data, "files": files} if name == bound else {}

    fields = _field_choices(study)
    evidence = [(e.pk, f"{e.field_id}: {e.original_name}") for e in study.evidence.all()]
    bill = BillForm(field_choices=fields, prefix="bill", **given("bill_form"))
    green = GreenForm(prefix="green", **given("green_form"))
    bill.set_evidence(evidence)
    green.set_evidence(evidence)
    return {
        "meter_form": MeterUploadForm(field_choices=fields,
                                      prefix="meter", **given("meter_form")),
        "feed_form": FeedForm(field_choices=fields,
                              prefix="feed", **given("feed_form")),
        "bill_form": bill, "green_form": green,
    }


def _meters(study: Study, data: services.CheckData) -> list[dict[str, Any]]:
    """Per field with readings: meters, readings and the total over the study's period."""
    pack = pack_of(study)
    period = services.days_period(study.period_start, study.period_end)
    rows = []
    for field_id, readings in sorted(data.meter_readings.items()):
        spec = pack.field(field_id)
        try:
            total = aggregate_meters(readings, period, spec.unit)
        except CheckInputError as exc:
            rows.append({"field": spec, "problem": str(exc), "readings": len(readings)})
            continue
        rows.append({"field": spec, "total": total, "readings": len(readings),
                     "meters": sorted(total.per_meter)})
    return rows


def _page(request: HttpRequest, study: Study, forms: dict[str, Any] | None = None,
          new_token: str | None = None, status: int = 200) -> HttpResponse:
    can_edit = enterprise_editor(request.user, study.product.organisation_id)
    data = services.check_data(study, services.days_period(study.period_start,
                                                           study.period_end))
    try:
        checks = study_checks(study, study.latest_result(), data)
        check_problem = None
    except (CheckInputError, StudyError) as exc:
        checks, check_problem = [], str(exc)
    return render(request, "checkdata/page.html", {
        "study": study, "pack": pack_of(study), "can_edit": can_edit,
        "can_change_study": can_edit and study.editable,
        "meters": _meters(study, data),
        "batches": visible(MeterBatch, request.user).filter(product=study.product)[:20],
        "feeds": visible(MeterFeed, request.user).filter(product=study.product),
        "bills": visible(Bill, request.user).filter(study=study).select_related("evidence"),
        "green_documents": visible(GreenDocument, request.user).filter(study=study)
        .select_related("evidence"),
        "checks": checks, "check_problem": check_problem, "new_token": new_token,
        **(forms if forms is not None else (_forms(study) if can_edit else {})),
    }, status=status)


@login_required
def page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _study(request, pk))


def _problems(request: HttpRequest, exc: StudyError) -> None:
    messages.error(request, str(exc))
    for problem in exc.problems:
        messages.error(request, f"{problem.get('field', '')}: {problem.get('message', '')}")


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """One change of the study's cross-check data, named by ``action``."""
    study = _study(request, pk)
    if not enterprise_editor(request.user, study.product.organisation_id):
        raise PermissionDenied
    action = request.POST.get("action", "")
    forms = _forms(study, action, request.POST, request.FILES)
    try:
        if action == "upload_meters":
            return _upload(request, study, forms)
        if action == "create_feed":
            form = forms["feed_form"]
            if form.is_valid():
                feed, token = services.create_feed(study.product, form.cleaned_data["field_id"],
                                                   form.cleaned_data["name"], request.user)
                messages.success(request, _("Feed %(name)s created; copy its token now: it "
                                            "is not shown again.") % {"name": feed.name})
                return _page(request, study, new_token=token)
        elif action == "revoke_feed":
            feed = get_or_404(MeterFeed, request.user, pk=request.POST.get("feed", 0),
                              product=study.product)
            services.revoke_feed(feed)
            messages.success(request, _("Feed %(name)s revoked.") % {"name": feed.name})
            return redirect("checkdata:page", pk=study.pk)
        elif action == "add_bill":
            form = forms["bill_form"]
            if form.is_valid():
                services.add_bill(study, request.user, **form.cleaned_data)
                messages.success(request, _("Bill added."))
                return redirect("checkdata:page", pk=study.pk)
        elif action == "remove_bill":
            services.remove_bill(get_or_404(Bill, request.user, pk=request.POST.get("bill", 0),
                                            study=study), request.user)
            messages.success(request, _("Bill removed."))
            return redirect("checkdata:page", pk=study.pk)
        elif action == "add_green":
            form = forms["green_form"]
            if form.is_valid():
                services.add_green_document(study, request.user, **form.cleaned_data)
                messages.success(request, _("Green electricity document added."))
                return redirect("checkdata:page", pk=study.pk)
        elif action == "remove_green":
            services.remove_green_document(get_or_404(
                GreenDocument, request.user, pk=request.POST.get("document", 0), study=study),
                request.user)
            messages.success(request, _("Green electricity document removed."))
            return redirect("checkdata:page", pk=study.pk)
        else:
            messages.error(request, _("Unknown action."))
    except StudyError as exc:
        _problems(request, exc)
    except ValueError:
        messages.error(request, _("Unknown action."))
    return _page(request, study, forms, status=400)


def _upload(request: HttpRequest, study: Study, forms: dict[str, Any]) -> HttpResponse:
    form = forms["meter_form"]
    if not form.is_valid():
        return _page(request, study, forms, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_CSV_MB * 1024 * 1024:
        messages.error(request, _("%(name)s is larger than %(limit)s MB.")
                       % {"name": upload.name, "limit": MAX_CSV_MB})
        return _page(request, study, forms, status=400)
    raw = upload.read()
    try:
        readings = read_meter_csv(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        messages.error(request, _("%(name)s is not a UTF-8 text file.") % {"name": upload.name})
        return _page(request, study, forms, status=400)
    except InvalidMeterFile as exc:
        messages.error(request, f"{upload.name}: {exc}")
        return _page(request, study, forms, status=400)
    batch = services.store_readings(study.product, form.cleaned_data["field_id"], readings,
                                    source=BatchSource.UPLOAD, raw=raw, file_name=upload.name,
                                    user=request.user)
    messages.success(request, _("%(stored)s readings stored, %(skipped)s already stored "
                                "skipped.") % {"stored": batch.stored, "skipped": batch.skipped})
    return redirect("checkdata:page", pk=study.pk)
