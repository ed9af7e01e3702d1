"""Footprint requests (RequestCreated events) in the data owner's inbox, and the answers
(RequestFulfilled / RequestRejected) sent back to the requester's host asynchronously, with
retries. A request for a product the enterprise does not have is rejected at once
(``NotFound``), as is the conformance convention ``urn:pact:null``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.pact import (
    PactEvent,
    matches,
    parse_filters,
    request_fulfilled_event,
    request_rejected_event,
)
from yuntan.platform.exchange.models import (
    Customer,
    DeliveryStatus,
    FootprintRequest,
    FootprintStatus,
    RequestStatus,
    SharedFootprint,
)
from yuntan.platform.exchange.services import ExchangeError, decrypt, host_of, product_pk
from yuntan.platform.jobs.runner import JobContext, job_function, submit
from yuntan.platform.ledger.actions import append
from yuntan.platform.studies.models import Product

NULL_PRODUCT = "urn:pact:null"
RETRIES = 5  # per delivery job: 1, 2, 4, 8, 16 s apart; the inbox offers to send again


def source_problem(customer: Customer, source: str) -> str | None:
    """Why an event's ``source`` is not acceptable (the spec: validate it before answering
    there): it must be on the customer's registered PACT host, when one is registered."""
    if not host_of(source):
        return "The event's source names no host (//<host>/<subpath>)."
    if customer.events_host and host_of(source) != host_of(customer.events_host):
        return (f"The event's source {source!r} is not on this customer's registered host "
                f"{customer.events_host!r}.")
    return None


def requested_product_ids(row: FootprintRequest) -> list[str]:
    data = row.body.get("data", {})
    if row.version == "3":
        return list(data.get("productId", []) or [])
    return list((data.get("pf") or {}).get("productIds", []) or [])


def criteria_text(row: FootprintRequest) -> str:
    """The request's criteria, for people (the inbox)."""
    data = dict(row.body.get("data", {}))
    data.pop("comment", None)
    return ", ".join(f"{k}: {v}" for k, v in (data.get("pf", data)).items())


@transaction.atomic
def receive(customer: Customer, event: PactEvent, body: dict[str, Any],
            our_host: str) -> FootprintRequest:
    data = body.get("data", {})
    row = FootprintRequest.objects.create(
        organisation_id=customer.organisation_id, customer=customer, version=event.version,
        event_id=event.id, source=event.source, our_source=f"//{our_host}", body=body,
        comment=str(data.get("comment", "") or "")[:5000])
    append("footprint.requested", row, {"customer": customer.pk, "event": event.id,
                                        "products": requested_product_ids(row)}, None)
    return row


def _known(row: FootprintRequest, wanted: Iterable[str]) -> bool:
    ours = set(Product.objects.filter(organisation_id=row.organisation_id)
               .values_list("pk", flat=True))
    if any(product_pk(urn) in ours for urn in wanted):
        return True
    shared = SharedFootprint.objects.filter(organisation_id=row.organisation_id)
    return any(set(wanted) & set(f.document_v3.get("productIds", [])) for f in shared)


def answer_automatically(row: FootprintRequest) -> None:
    """Reject at once what cannot be fulfilled: no product named, ``urn:pact:null`` or a
    product the enterprise does not have."""
    wanted = requested_product_ids(row)
    if not wanted or NULL_PRODUCT in wanted or not _known(row, wanted):
        reject(row, "NotFound", "The requested product is not known to this data owner.",
               None)
        return
    granted = _granted_matches(row)
    if granted:  # the customer may read these already: answer without waiting for anyone
        fulfil(row, granted, None)


def _granted_matches(row: FootprintRequest) -> list[SharedFootprint]:
    """Active footprints already granted to the requester that meet the request."""
    found = row.customer.footprints.filter(organisation_id=row.organisation_id,
                                           status=FootprintStatus.ACTIVE)
    if row.version == "3":  # (the host checked the criteria when the event came in)
        filters = parse_filters(row.body.get("data", {}), ignore=())
        return [f for f in found if matches(f.document_v3, filters)]
    wanted = set(requested_product_ids(row))
    return [f for f in found if f.document_v2 is not None
            and wanted & set(f.document_v2.get("productIds", []))]


@transaction.atomic
def fulfil(row: FootprintRequest, footprints: list[SharedFootprint], user: Any) -> None:
    """Answer with these footprints (granted to the customer, so ListFootprints shows them
    too, as the spec requires)."""
    row = FootprintRequest.objects.select_for_update().get(pk=row.pk)
    if row.status != RequestStatus.OPEN:
        raise ExchangeError(_("This request has already been answered."))
    documents = [f.document_v3 if row.version == "3" else f.document_v2 for f in footprints]
    if not footprints or any(d is None for d in documents) or any(
            f.organisation_id != row.organisation_id for f in footprints):
        raise ExchangeError(_("Choose at least one of your shared footprints (available in "
                              "this PACT version)."))
    row.customer.footprints.add(*footprints)
    row.answer = request_fulfilled_event(row.version, row.event_id,
                                         [d for d in documents if d is not None],
                                         source=row.our_source)
    _answered(row, RequestStatus.FULFILLED, user, [str(f.id) for f in footprints])


@transaction.atomic
def reject(row: FootprintRequest, code: str, message: str, user: Any) -> None:
    row = FootprintRequest.objects.select_for_update().get(pk=row.pk)
    if row.status != RequestStatus.OPEN:
        raise ExchangeError(_("This request has already been answered."))
    row.answer = request_rejected_event(row.version, row.event_id, code, message,
                                        source=row.our_source)
    _answered(row, RequestStatus.REJECTED, user, [])


def _answered(row: FootprintRequest, status: str, user: Any, ids: list[str]) -> None:
    row.status = status
    row.answered_by = user if getattr(user, "is_authenticated", False) else None
    row.answered_at = timezone.now()
    row.delivery = DeliveryStatus.PENDING
    row.save()
    append("footprint.request-answered", row, {"status": status, "footprints": ids,
                                               "event": row.answer["id"] if row.answer else None},
           user)
    _deliver_after_commit(row, user)


def _deliver_after_commit(row: FootprintRequest, user: Any) -> None:
    """Start the delivery once the answer is committed: it calls another host, which may
    call back into this one (and must see the answer, and not wait for our locks)."""
    transaction.on_commit(lambda: submit(
        deliver_answer, f"PACT answer to {row.customer.name}", {"request_id": row.pk},
        user=user))


def send_again(row: FootprintRequest, user: Any) -> None:
    if row.answer is None or row.delivery == DeliveryStatus.DELIVERED:
        raise ExchangeError(_("There is nothing to send again."))
    row.delivery = DeliveryStatus.PENDING
    row.save(update_fields=["delivery"])
    _deliver_after_commit(row, user)


def _send(customer: Customer, version: str, body: dict[str, Any], sleep: Any) -> None:
    """POST the event to the customer's host, with our credentials there if it gave us any
    (else without a token: the spec only recommends authenticating events)."""
    from yuntan.pact.client import PactClient

    client_id = customer.events_client_id or None
    secret = decrypt(customer.events_secret) if client_id else None
    PactClient(customer.events_host, client_id, secret, version,
               ca_file=settings.YUNTAN_PACT_CA_FILE or None,
               allow_http=not settings.YUNTAN_PACT_REQUIRE_HTTPS,
               allow_private_hosts=settings.YUNTAN_PACT_ALLOW_PRIVATE_HOSTS,
               retries=RETRIES, sleep=sleep).send_event(body)


@job_function
def deliver_answer(ctx: JobContext, request_id: int, sleep: Any = None) -> dict[str, Any]:
    """Send the answer event to the requester's host (retrying with back-off); the request
    records each attempt and the outcome."""
    row = FootprintRequest.objects.select_related("customer").get(pk=request_id)
    customer = row.customer
    if row.answer is None:
        return {"sent": False}
    if not customer.events_host:
        row.delivery, row.last_error = DeliveryStatus.FAILED, _(
            "The customer's PACT host is not set: the answer cannot be sent (the customer "
            "still finds fulfilled footprints by listing).")
        row.save(update_fields=["delivery", "last_error"])
        return {"sent": False, "error": row.last_error}
    import time

    row.attempts += 1
    try:
        _send(customer, row.version, row.answer, sleep or time.sleep)
    except Exception as exc:  # transport, TLS, the other host's error: all recorded
        row.delivery, row.last_error = DeliveryStatus.FAILED, str(exc)[:2000]
        row.save(update_fields=["delivery", "last_error", "attempts"])
        return {"sent": False, "error": row.last_error}
    row.delivery, row.delivered_at, row.last_error = (DeliveryStatus.DELIVERED,
                                                      timezone.now(), "")
    row.save(update_fields=["delivery", "delivered_at", "last_error", "attempts"])
    return {"sent": True}
