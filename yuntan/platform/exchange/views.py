"""The enterprise's exchange pages: footprints shared through PACT, the customers that may
read them (credentials, grants), the inbox of footprint requests, PACT JSON files; and the
suppliers' hosts it pulls from, the footprints received, the requests it sent."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntan.platform.accounts.access import get_or_404, membership_of, visible
from yuntan.platform.exchange import inbox, services, suppliers
from yuntan.platform.exchange.models import (
    Customer,
    FootprintRequest,
    FootprintStatus,
    ReceivedFootprint,
    RequestStatus,
    SharedFootprint,
    Supplier,
)
from yuntan.platform.studies.access_rules import ENTERPRISE_ROLES, enterprise_editor
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import StudyError

REJECT_CODES = ("NotFound", "AccessDenied", "BadRequest", "InternalError")


def _enterprise(request: HttpRequest) -> Any:
    """The user's enterprise (only its own people use these pages)."""
    membership = membership_of(request.user)
    if membership is None or membership.role not in ENTERPRISE_ROLES:
        raise PermissionDenied
    return membership.organisation


def _require_editor(request: HttpRequest, organisation_id: int) -> None:
    if not enterprise_editor(request.user, organisation_id):
        raise PermissionDenied


def _show(request: HttpRequest, exc: StudyError) -> None:
    messages.error(request, str(exc))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisation = _enterprise(request)
    shareable = visible(Study, request.user).filter(
        status=StudyStatus.VERIFIED, product__organisation=organisation,
        scenario_of__isnull=True).select_related("product")
    return render(request, "exchange/home.html", {
        "organisation": organisation,
        "footprints": visible(SharedFootprint, request.user).filter(organisation=organisation)
        .select_related("study__product", "label"),
        "shareable": shareable,
        "customers": visible(Customer, request.user).filter(organisation=organisation),
        "requests": visible(FootprintRequest, request.user).filter(organisation=organisation)
        .select_related("customer")[:100],
        "host": request.build_absolute_uri("/").rstrip("/"),
    })


@login_required
@require_POST
def share_study(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_or_404(Study.objects.select_related("product__organisation"), request.user,
                       pk=pk)
    _require_editor(request, study.product.organisation_id)
    try:
        mass = request.POST.get("mass_kg", "").strip()
        try:
            mass_kg = float(mass) if mass else None
        except ValueError:
            raise services.ExchangeError(_("The mass per declared unit must be a positive "
                                           "number.")) from None
        shared = services.share(study, request.user, request.get_host(), mass_kg)
    except StudyError as exc:
        _show(request, exc)
        return redirect("exchange:home")
    messages.success(request, _("The footprint is shared as PACT ProductFootprint %(id)s; "
                                "grant it to customers to let them read it.")
                     % {"id": shared.id})
    return redirect("exchange:footprint", pk=shared.id)


@login_required
def footprint_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    footprint = get_or_404(SharedFootprint.objects.select_related("study__product", "label"),
                           request.user, pk=pk)
    if request.method == "POST":
        _require_editor(request, footprint.organisation_id)
        if request.POST.get("action") == "deprecate":
            services.deprecate(footprint, request.user)
            messages.success(request, _("The footprint is deprecated."))
        return redirect("exchange:footprint", pk=footprint.id)
    return render(request, "exchange/footprint.html", {
        "footprint": footprint,
        "v3": json.dumps(footprint.document_v3, ensure_ascii=False, indent=2),
        "v2": json.dumps(footprint.document_v2, ensure_ascii=False, indent=2)
        if footprint.document_v2 is not None else None,
        "customers": footprint.customers.all(),
        "can_edit": enterprise_editor(request.user, footprint.organisation_id)
        and footprint.status == FootprintStatus.ACTIVE,
    })


@login_required
def footprint_file(request: HttpRequest, pk: Any, version: str) -> HttpResponse:
    """The ProductFootprint as a PACT JSON file, for partners without an API."""
    footprint = get_or_404(SharedFootprint, request.user, pk=pk)
    document = {"3": footprint.document_v3, "2": footprint.document_v2}.get(version)
    if document is None:
        return HttpResponse(status=404)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pact-v{version}-{pk}.json"'
    return response


@login_required
def customers(request: HttpRequest) -> HttpResponse:
    organisation = _enterprise(request)
    context: dict[str, Any] = {}
    if request.method == "POST":
        _require_editor(request, organisation.pk)
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Name the customer."))
        else:
            customer, secret = services.create_customer(
                organisation, name, request.user,
                events_host=request.POST.get("events_host", ""),
                events_client_id=request.POST.get("events_client_id", ""),
                events_secret=request.POST.get("events_secret", ""))
            context = {"new_customer": customer, "new_secret": secret}
    return render(request, "exchange/customers.html", {
        "customers": visible(Customer, request.user).filter(organisation=organisation),
        "host": request.build_absolute_uri("/").rstrip("/"), **context,
    }, status=400 if request.method == "POST" and not context else 200)


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_or_404(Customer, request.user, pk=pk)
    owned = SharedFootprint.objects.filter(organisation_id=customer.organisation_id)
    if request.method == "POST":
        _require_editor(request, customer.organisation_id)
        action = request.POST.get("action")
        if action == "grant":
            chosen = owned.filter(pk__in=request.POST.getlist("footprints"))
            customer.footprints.set(chosen)
            messages.success(request, _("%(n)s footprints granted.") % {"n": chosen.count()})
        elif action == "revoke":
            services.revoke_customer(customer)
            messages.success(request, _("The customer's credentials are revoked."))
        return redirect("exchange:customer", pk=customer.pk)
    return render(request, "exchange/customer.html", {
        "customer": customer, "footprints": owned.select_related("study__product"),
        "granted": set(customer.footprints.values_list("pk", flat=True)),
        "can_edit": enterprise_editor(request.user, customer.organisation_id),
    })


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_or_404(FootprintRequest.objects.select_related("customer"), request.user, pk=pk)
    available = SharedFootprint.objects.filter(organisation_id=row.organisation_id,
                                               status=FootprintStatus.ACTIVE)
    if request.method == "POST":
        _require_editor(request, row.organisation_id)
        action = request.POST.get("action")
        try:
            if action == "fulfil":
                inbox.fulfil(row, list(available.filter(
                    pk__in=request.POST.getlist("footprints"))), request.user)
                messages.success(request, _("Fulfilled; the answer is being sent."))
            elif action == "reject":
                code = request.POST.get("code", "BadRequest")
                inbox.reject(row, code if code in REJECT_CODES else "BadRequest",
                             request.POST.get("message", "").strip() or _("Declined."),
                             request.user)
                messages.success(request, _("Rejected; the answer is being sent."))
            elif action == "send_again":
                inbox.send_again(row, request.user)
                messages.success(request, _("The answer is being sent again."))
        except StudyError as exc:
            _show(request, exc)
        return redirect("exchange:request", pk=row.pk)
    return render(request, "exchange/request.html", {
        "row": row, "criteria": inbox.criteria_text(row),
        "available": available.select_related("study__product"),
        "answer": json.dumps(row.answer, ensure_ascii=False, indent=2) if row.answer else None,
        "can_answer": enterprise_editor(request.user, row.organisation_id)
        and row.status == RequestStatus.OPEN,
        "can_resend": enterprise_editor(request.user, row.organisation_id)
        and row.answer is not None and row.delivery == "failed",
        "codes": REJECT_CODES,
    })


# --- the client side ----------------------------------------------------------------------

@login_required
def supplier_list(request: HttpRequest) -> HttpResponse:
    """Suppliers' PACT hosts, footprints received, and PACT JSON file import."""
    organisation = _enterprise(request)
    status = 200
    if request.method == "POST":
        _require_editor(request, organisation.pk)
        try:
            if request.POST.get("action") == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.ExchangeError(_("Choose a PACT JSON file."))
                if upload.size is not None and upload.size > suppliers.MAX_FILE_MB * 1024 * 1024:
                    raise services.ExchangeError(_("The file is larger than %(n)s MB.")
                                                 % {"n": suppliers.MAX_FILE_MB})
                rows = suppliers.import_file(organisation, request.user, upload.read())
                messages.success(request, _("%(n)s footprints imported.") % {"n": len(rows)})
            else:
                supplier = suppliers.add_supplier(
                    organisation, request.user, name=request.POST.get("name", ""),
                    base_url=request.POST.get("base_url", ""),
                    version=request.POST.get("version", "3") if request.POST.get(
                        "version") in ("2", "3") else "3",
                    client_id=request.POST.get("client_id", ""),
                    secret=request.POST.get("secret", ""))
                messages.success(request, _("Supplier %(name)s added.") % {"name": supplier})
                return redirect("exchange:supplier", pk=supplier.pk)
            return redirect("exchange:suppliers")
        except StudyError as exc:
            _show(request, exc)
            status = 400
    return render(request, "exchange/suppliers.html", {
        "suppliers": visible(Supplier, request.user).filter(organisation=organisation),
        "received": visible(ReceivedFootprint, request.user).filter(organisation=organisation)
        .select_related("supplier", "supplier_footprint")[:200],
    }, status=status)


@login_required
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_or_404(Supplier, request.user, pk=pk)
    if request.method == "POST":
        _require_editor(request, supplier.organisation_id)
        try:
            if request.POST.get("action") == "pull":
                counts = suppliers.pull(supplier, request.user)
                messages.success(request, _("%(footprints)s footprints listed, %(new)s new.")
                                 % counts)
            elif request.POST.get("action") == "request":
                suppliers.send_request(supplier, request.user, request.get_host(),
                                       request.POST.get("product_ids", "").split(),
                                       request.POST.get("comment", ""))
                messages.success(request, _("The request is being sent."))
        except StudyError as exc:
            _show(request, exc)
        return redirect("exchange:supplier", pk=supplier.pk)
    return render(request, "exchange/supplier.html", {
        "supplier": supplier,
        "received": supplier.footprints.select_related("supplier_footprint"),
        "requests": supplier.requests.all()[:100],
        "can_edit": enterprise_editor(request.user, supplier.organisation_id),
    })


def extension_schema(request: HttpRequest, name: str) -> HttpResponse:
    """The public JSON schema of our PACT data model extension (no sign-in)."""
    folder = resources.files("yuntan.data.pact.extensions")
    if name != services.EXTENSION:
        return HttpResponse(status=404)
    return HttpResponse(folder.joinpath(name).read_text(encoding="utf-8"),
                        content_type="application/schema+json")
