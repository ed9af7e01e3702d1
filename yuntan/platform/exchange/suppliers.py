"""The client side: an enterprise registers its suppliers' PACT hosts, pulls their
footprints (v3 or v2.3), imports PACT JSON files, and sends footprint requests. Every
footprint received is validated against the official schema and becomes a supplier
footprint the enterprise's studies can use as primary data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan import bounded_json
from yuntan.errors import YuntanLcaError
from yuntan.pact import (
    EventKind,
    PactError,
    PactEvent,
    parse_footprint,
    per_unit,
    request_created_event,
)
from yuntan.pact.client import PactClient, PactClientError
from yuntan.pact.model import PINT_UNITS, SupplierPcf
from yuntan.platform.exchange.models import (
    Customer,
    OutgoingRequest,
    ReceivedFootprint,
    ReceivedSource,
    Supplier,
)
from yuntan.platform.exchange.services import ExchangeError, decrypt, encrypt, host_of
from yuntan.platform.jobs.runner import JobContext, job_function, submit
from yuntan.platform.ledger.actions import append
from yuntan.platform.studies.models import SupplierFootprint
from yuntan.platform.studies.plausible import footprint_problem

MAX_FILE_MB = 20


def client_of(supplier: Supplier, **options: Any) -> PactClient:
    try:
        return PactClient(supplier.base_url, supplier.client_id, decrypt(supplier.secret),
                          supplier.version, ca_file=settings.YUNTAN_PACT_CA_FILE or None,
                          allow_http=not settings.YUNTAN_PACT_REQUIRE_HTTPS,
                          allow_private_hosts=settings.YUNTAN_PACT_ALLOW_PRIVATE_HOSTS,
                          **options)
    except PactClientError as exc:
        raise ExchangeError(str(exc)) from exc


def add_supplier(organisation: Any, user: Any, *, name: str, base_url: str, version: str,
                 client_id: str, secret: str) -> Supplier:
    if not (name.strip() and base_url.strip() and client_id.strip() and secret):
        raise ExchangeError(_("Name the supplier and give its host, client id and secret."))
    supplier = Supplier(organisation=organisation, name=name.strip(),
                        base_url=base_url.strip().rstrip("/"), version=version,
                        client_id=client_id.strip(), secret=encrypt(secret), created_by=user)
    client_of(supplier)  # refuses http:// (HTTPS only) and malformed URLs, with the reason
    supplier.save()
    return supplier


def _gwp(pcf: SupplierPcf) -> str:
    for name in pcf.gwp_sets:
        if name.upper() in ("AR6", "AR5", "AR4"):
            return name.upper()
    return pcf.gwp_sets[0][:8] if pcf.gwp_sets else "AR6"


@transaction.atomic
def keep(organisation: Any, received: dict[str, Any] | SupplierPcf, source: str, user: Any,
         supplier: Supplier | None = None) -> tuple[ReceivedFootprint, bool]:
    """Store a received ProductFootprint (validated here unless the client already parsed
    it) and its supplier footprint; the same footprint version again is not stored twice.
    Returns (row, new)."""
    try:
        pcf = received if isinstance(received, SupplierPcf) else parse_footprint(received)
        unit = PINT_UNITS[pcf.declared_unit]
        value = per_unit(pcf, unit)
    except (PactError, YuntanLcaError, KeyError) as exc:
        raise ExchangeError(_("Not a usable PACT ProductFootprint: %(error)s")
                            % {"error": exc}) from exc
    # Checked like a footprint typed in: a negative or absurd one would skew every product
    # that uses it.
    problem = footprint_problem(value, unit)
    if problem:
        raise ExchangeError(_("Not a usable PACT ProductFootprint: %(error)s")
                            % {"error": problem})
    existing = ReceivedFootprint.objects.filter(
        organisation=organisation, pf_id=pcf.id, pf_version=pcf.version or 0,
        spec_version=pcf.spec_version).first()
    if existing is not None:
        return existing, False
    last_day = pcf.reference_period_end - timedelta(seconds=1)  # the end is exclusive
    status = "" if pcf.status.value == "Active" else f", {pcf.status.value}"
    footprint = SupplierFootprint.objects.create(
        organisation=organisation, supplier=pcf.company_name[:200],
        product=pcf.product_name[:200], unit=unit, kg_co2e_per_unit=value, gwp_set=_gwp(pcf),
        reference_year=last_day.year,
        evidence=(f"PACT {pcf.id} (spec {pcf.spec_version}"
                  f"{f', v{pcf.version}' if pcf.version else ''}{status})")[:500],
        created_by=user)
    row = ReceivedFootprint.objects.create(
        organisation=organisation, supplier=supplier, pf_id=pcf.id,
        spec_version=pcf.spec_version, pf_version=pcf.version or 0, document=dict(pcf.raw),
        source=source, supplier_footprint=footprint)
    append("footprint.received", row, {"pf_id": str(pcf.id), "spec": pcf.spec_version,
                                       "source": source, "kg_co2e_per_unit": value,
                                       "unit": unit}, user)
    return row, True


def pull(supplier: Supplier, user: Any, *, sleep: Any = None) -> dict[str, int]:
    """Fetch every footprint the supplier's host lists for us."""
    options = {"sleep": sleep} if sleep is not None else {}
    client = client_of(supplier, **options)
    new = seen = 0
    try:
        for pcf in client.list_footprints():
            _row, created = keep(supplier.organisation, pcf, ReceivedSource.PULL, user,
                                 supplier)
            new += created
            seen += 1
    except PactClientError as exc:
        supplier.last_error = str(exc)[:2000]
        supplier.save(update_fields=["last_error"])
        raise ExchangeError(_("The supplier's host answered: %(error)s") % {"error": exc}
                            ) from exc
    supplier.last_pulled_at, supplier.last_error = timezone.now(), ""
    supplier.save(update_fields=["last_pulled_at", "last_error"])
    return {"footprints": seen, "new": new}


def _documents(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and "data" in data:
        data = data["data"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and all(isinstance(d, dict) for d in data):
        return list(data)
    raise ExchangeError(_("The file holds no ProductFootprint (an object, a list of them, or "
                          "{\"data\": …})."))


def import_file(organisation: Any, user: Any, raw: bytes) -> list[ReceivedFootprint]:
    """PACT JSON file(s) from a supplier without an API: all footprints or none."""
    if len(raw) > MAX_FILE_MB * 1024 * 1024:
        raise ExchangeError(_("The file is larger than %(n)s MB.") % {"n": MAX_FILE_MB})
    try:
        data = bounded_json.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except bounded_json.UnreadableJson as exc:
        raise ExchangeError(_("The file is not UTF-8 JSON: %(error)s") % {"error": exc}
                            ) from exc
    with transaction.atomic():
        return [keep(organisation, d, ReceivedSource.FILE, user)[0] for d in _documents(data)]


# --- requests to suppliers ----------------------------------------------------------------

def send_request(supplier: Supplier, user: Any, our_host: str, product_ids: Iterable[str],
                 comment: str = "") -> OutgoingRequest:
    """A RequestCreated event to the supplier's host (sent by a background job)."""
    ids = [p.strip() for p in product_ids if p.strip()]
    if not ids:
        raise ExchangeError(_("Name at least one product id (urn:…) of the supplier."))
    criteria = {"productId": ids} if supplier.version == "3" else {"productIds": ids}
    try:
        body = request_created_event(supplier.version, criteria, source=f"//{our_host}",
                                     comment=comment or None)
    except PactError as exc:
        raise ExchangeError(str(exc)) from exc
    row = OutgoingRequest.objects.create(organisation=supplier.organisation, supplier=supplier,
                                         event_id=body["id"], body=body, created_by=user)
    submit(deliver_request, f"PACT request to {supplier.name}", {"request_id": row.pk},
           user=user)
    return row


@job_function
def deliver_request(ctx: JobContext, request_id: int, sleep: Any = None) -> dict[str, Any]:
    row = OutgoingRequest.objects.select_related("supplier").get(pk=request_id)
    options = {"sleep": sleep} if sleep is not None else {}
    try:
        client_of(row.supplier, **options).send_event(row.body)
    except (PactClientError, ExchangeError) as exc:
        row.status, row.error = "failed", str(exc)[:2000]
        row.save(update_fields=["status", "error"])
        return {"sent": False, "error": row.error}
    return {"sent": True}


def answer_received(customer: Customer, event: PactEvent, body: dict[str, Any]) -> str | None:
    """A supplier's answer to one of our requests, posted to our host with the credentials
    our enterprise gave it; None when taken, else why not (→ 400)."""
    request_id = str(event.data.get("requestEventId", ""))
    row = OutgoingRequest.objects.select_related("supplier").filter(
        organisation_id=customer.organisation_id, event_id=request_id).first()
    if row is None:
        return f"No request of ours has the id {request_id!r}."
    if host_of(row.supplier.base_url) != host_of(event.source):
        return "The answer does not come from the host the request was sent to."
    with transaction.atomic():
        if event.kind is EventKind.REQUEST_FULFILLED:
            for document in event.data.get("pfs", []):
                keep(row.organisation, document, ReceivedSource.EVENT, row.created_by,
                     row.supplier)
            row.status = "fulfilled"
        else:
            row.status = "rejected"
            error = event.data.get("error", {})
            row.error = f"{error.get('code', '')}: {error.get('message', '')}"[:2000]
        row.answer, row.answered_at = body, timezone.now()
        row.save(update_fields=["status", "error", "answer", "answered_at"])
    return None


def published_received(customer: Customer, event: PactEvent) -> None:
    """A supplier published new or changed footprints: pull from it when our enterprise
    registered a supplier on the event's host; otherwise the notice is acknowledged and
    there is nothing to fetch."""
    supplier = next((s for s in Supplier.objects.filter(organisation_id=customer.organisation_id)
                     if host_of(s.base_url) == host_of(event.source)), None)
    if supplier is not None:
        transaction.on_commit(lambda: submit(pull_job, f"PACT pull from {supplier.name}",
                                             {"supplier_id": supplier.pk}))


@job_function
def pull_job(ctx: JobContext, supplier_id: int) -> dict[str, Any]:
    supplier = Supplier.objects.get(pk=supplier_id)
    return pull(supplier, supplier.created_by)
