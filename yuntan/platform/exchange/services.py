"""Sharing footprints and managing who may read them.

:func:`share` writes the ProductFootprint of a verified study once (v3 always; v2.3 when it
can be expressed) from the verified result, the verification and the label: the figures
are the result's, so every shared number traces to its inputs. Customers get a client id
and a secret (kept as a SHA-256 only); :func:`issue_token` exchanges them for a bearer
token (OAuth 2.0 client credentials)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import math
import re
import secrets
import uuid
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.accounting import material_gaps
from yuntan.formats.collection import BOUNDARY_LABELS
from yuntan.pact import Assurance, NotExpressible, facts_from_outcome, to_v2, to_v3
from yuntan.pact.addresses import HostNotAllowed, check_url
from yuntan.pact.mapping import date_time, decimal_string
from yuntan.pact.model import Status
from yuntan.platform.credentials import digest, new_secret
from yuntan.platform.exchange.models import (
    AccessToken,
    Customer,
    FootprintStatus,
    SharedFootprint,
)
from yuntan.platform.labels.models import Label, LabelStatus
from yuntan.platform.ledger.actions import append
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import StudyError, pack_of
from yuntan.platform.verification.models import Verification, VerificationStatus
from yuntan.rules import SystemBoundary

TOKEN_SECONDS = 3600
# Products of these packs contain no carbon at all (aluminium metal; ammonium phosphates,
# (NH4)2HPO4 / NH4H2PO4): their biogenic carbon content is zero by composition, not by a
# figure we chose. Other products' biogenic carbon content is unknown to the platform.
CARBON_FREE_PACKS = frozenset({"electrolytic-aluminium", "ammonium-phosphate"})


class ExchangeError(StudyError):
    """Something the user can fix (Chinese first through gettext)."""


def issuer_domain(host: str) -> str:
    """The domain our PACT identifiers are issued under: the platform's host name."""
    return host.split(":")[0].strip().lower() or "localhost"


def company_ids(organisation: Any, domain: str) -> tuple[str, ...]:
    ids = [f"urn:pact:{domain}:company-id:{organisation.pk}"]
    if organisation.uscc:
        ids.insert(0, f"urn:pact:{domain}:uscc:{organisation.uscc}")
    return tuple(ids)


def product_id(product: Any, domain: str) -> str:
    return f"urn:pact:{domain}:product-id:{product.pk}"


def product_pk(urn: str) -> int | None:
    """The product a :func:`product_id` URN names (under any domain), if it is one."""
    match = re.fullmatch(r"urn:pact:[^:]+:product-id:(\d+)", urn)
    return int(match.group(1)) if match else None


def check_pact_host(url: str) -> None:
    """Refuse a host the platform may not call (``YUNTAN_PACT_ALLOW_PRIVATE_HOSTS``)."""
    try:
        check_url(url, allow_private=settings.YUNTAN_PACT_ALLOW_PRIVATE_HOSTS)
    except HostNotAllowed as exc:
        raise ExchangeError(_("This host cannot be used: %(error)s") % {"error": exc}
                            ) from None


def host_of(url: str) -> str:
    """The host name of a URL or of a CloudEvents source (``//host/subpath``)."""
    return (urlsplit(f"https:{url}" if url.startswith("//") else url).hostname or "").lower()


def _utc(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _verified(study: Study) -> Verification:
    verification = (study.verifications.filter(status=VerificationStatus.VERIFIED)
                    .select_related("verification_body").order_by("-decided_at").first())
    if study.status != StudyStatus.VERIFIED or verification is None:
        raise ExchangeError(_("Only a verified study's footprint can be shared."))
    return verification


def footprint_documents(study: Study, verification: Verification, label: Label | None,
                        pf_id: uuid.UUID, created: datetime, host: str,
                        preceding: tuple[uuid.UUID, ...] = (),
                        mass_kg: float | None = None
                        ) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """The v3 ProductFootprint, the v2.3 one (or None) and why v2 could not be written.
    ``host`` is the platform's public host (``name[:port]``): identifiers are issued under
    its name, links point to it."""
    domain = issuer_domain(host)
    snapshot = verification.latest_snapshot()
    assert snapshot is not None
    result = snapshot.result
    pack = pack_of(study)
    product = study.product
    organisation = product.organisation
    headline = result.outcome["results"][result.outcome["headline"]]
    body = verification.verification_body
    assurance = Assurance(
        assured=True, provider_name=(body.name_en or body.name_zh) if body else "",
        coverage="product level", level="limited", boundary="Cradle-to-Gate",
        completed_at=verification.decided_at,
        standard_name="ISO 14067:2018 / GB/T 24067-2024",
        comments=(f"Yuntan label {label.number}" if label else None))
    names = [n for n in (product.name_zh, product.name_en) if n]
    extension = yuntan_extension(result, pack, label, host)
    boundary = pack.boundary(result.inputs.get("variant"))
    if boundary is not SystemBoundary.CRADLE_TO_GATE:
        # PACT's assurance boundary knows only Gate-to-Gate and Cradle-to-Gate.
        assurance = dataclasses.replace(assurance, boundary=None)
    try:
        facts = facts_from_outcome(
            headline, declared_unit_amount=pack.declared_unit.amount,
            declared_unit=pack.declared_unit.unit,
            product_mass_kg_per_declared_unit=mass_kg,
            biogenic_carbon_content_kg_c=0.0 if pack.id in CARBON_FREE_PACKS else None,
            rule_pack=(pack.id, pack.version),
            aircraft_kg=result.outcome.get("aircraft") or None,
            id=pf_id, created=created,
            company_name=" / ".join(n for n in (organisation.name_zh, organisation.name_en)
                                    if n),
            company_ids=company_ids(organisation, domain),
            product_ids=(product_id(product, domain),),
            product_name=" / ".join(names),
            product_description=product.description or " / ".join(names),
            reference_period_start=_utc(study.period_start),
            reference_period_end=_utc(study.period_end + timedelta(days=1)),
            geography_subdivision="CN-YN",
            preceding_pf_ids=preceding,
            boundary_processes_description=boundary_description(pack, result.outcome,
                                                                boundary),
            exempted_emissions_percent=pack.exempted_percent,
            exempted_emissions_description=exemptions_description(pack),
            comment=(f"Yuntan study {study.pk}, result {result.number} "
                     f"(inputs SHA-256 {result.inputs_sha256}); electricity "
                     f"{result.outcome['headline']}."),
            assurance=assurance,
            status=Status.ACTIVE,
            extensions=(extension,),
        )
        v3 = to_v3(facts)
    except NotExpressible as exc:
        raise ExchangeError(_("This footprint cannot be written as a PACT ProductFootprint: "
                              "%(reason)s") % {"reason": exc}) from exc
    try:
        return v3, to_v2(facts), ""
    except NotExpressible as exc:
        return v3, None, str(exc)


def boundary_description(pack: Any, outcome: dict[str, Any], boundary: Any) -> str:
    """The stages and processes inside the boundary, and the conservative defaults the
    figure rests on (PACT boundaryProcessesDescription)."""
    names = BOUNDARY_LABELS[boundary][1]
    stages = "; ".join(
        f"{stage.name_en}: " + ", ".join(p.name_en for p in pack.processes
                                         if p.stage == stage.id)
        for stage in pack.stages)
    text = f"{names.capitalize()}. {stages}."
    defaults = [g["dataset"] for g in (outcome.get("completeness") or {}).get("gaps", ())
                if g["kind"] == "default"]
    if defaults:
        text += (" Conservative default factors (not Yunnan-specific) used for: "
                 + ", ".join(defaults) + ".")
    return text


def exemptions_description(pack: Any) -> str:
    """What the boundary leaves out and the estimate of each part (ISO 14067 cut-offs)."""
    if not pack.exclusions:
        return "No process is excluded from the rule pack's boundary."
    return "; ".join(f"{e.name_en} (estimated {e.estimated_share_percent:g} %; {e.source})"
                     for e in pack.exclusions)


EXTENSION = "yuntan-label-1.0.0.json"


def yuntan_extension(result: Any, pack: Any, label: Label | None,
                     host: str) -> dict[str, Any]:
    """The PACT data model extension with what PACT has no place for: the label (with its
    public page), the grade, the rule pack, both electricity methods
    (schema: ``yuntan/data/pact/extensions``)."""
    outcome = result.outcome
    data: dict[str, Any] = {
        "rulePack": {"id": pack.id, "version": pack.version},
        "declaredUnit": f"{pack.declared_unit.amount:g} {pack.declared_unit.unit}",
        "headlineElectricityMethod": outcome["headline"],
        "footprints": {method: decimal_string(r["total"])
                       for method, r in sorted(outcome["results"].items())},
        "resultInputsSha256": result.inputs_sha256,
        "grade": {"level": outcome["grade"]["level"], "nameZh": outcome["grade"]["name_zh"],
                  "nameEn": outcome["grade"]["name_en"],
                  "placeholder": bool(outcome["grade"]["placeholder"])},
    }
    if label is not None:
        data.update(labelNumber=label.number, labelValidTo=label.valid_to.isoformat(),
                    labelUrl=f"https://{host}{reverse('labels:public', args=[label.number])}")
    return {"specVersion": "2.0.0",
            "dataSchema": f"https://{host}{reverse('exchange:extension', args=[EXTENSION])}",
            "data": data}


@transaction.atomic
def share(study: Study, user: Any, host: str, mass_kg: float | None = None) -> SharedFootprint:
    """Publish the verified study's footprint; an earlier active footprint of the same
    product is deprecated and named as preceding (a major change in PACT terms).
    ``mass_kg``: the product's mass per declared unit, which PACT needs for counted units
    (a stem of rose) and the rule pack does not give."""
    if mass_kg is not None and not (math.isfinite(mass_kg) and mass_kg > 0):
        raise ExchangeError(_("The mass per declared unit must be a positive number."))
    verification = _verified(study)
    snapshot = verification.latest_snapshot()
    assert snapshot is not None  # a verified study was submitted
    gaps = material_gaps(snapshot.result.outcome)
    if gaps:
        raise ExchangeError(_("This footprint has gaps that could be material, so it cannot "
                              "be shared as verified: %(gaps)s.") % {"gaps": "; ".join(gaps)})
    label = Label.objects.filter(verification=verification, status=LabelStatus.ISSUED,
                                 valid_to__gte=timezone.localdate()).first()
    previous = (SharedFootprint.objects.select_for_update()
                .filter(study__product=study.product, status=FootprintStatus.ACTIVE)
                .order_by("-created_at").first())
    if previous is not None and previous.result_id == snapshot.result_id:
        raise ExchangeError(_("This result is already shared."))
    now = timezone.now()
    pf_id = uuid.uuid4()
    v3, v2, note = footprint_documents(study, verification, label, pf_id, now, host,
                                       (previous.id,) if previous else (), mass_kg)
    shared = SharedFootprint.objects.create(
        id=pf_id, organisation=study.product.organisation, study=study,
        result=snapshot.result, label=label, document_v3=v3,
        document_v2=v2, v2_note=note[:500], preceding=previous, created_by=user,
        created_at=now)
    if previous is not None:
        deprecate(previous, user, now)
        shared.customers.set(previous.customers.all())
    append("footprint.shared", shared, {"id": str(pf_id), "study": study.pk,
                                        "result": shared.result_id,
                                        "label": label.number if label else None,
                                        "preceding": str(previous.id) if previous else None},
           user)
    return shared


def deprecate(footprint: SharedFootprint, user: Any, when: datetime | None = None,
              comment: str = "Superseded by a newer footprint of the same product.") -> None:
    """Set the footprint's status to Deprecated (v3: the one change allowed; v2: a new
    version with ``updated``)."""
    if footprint.status == FootprintStatus.DEPRECATED:
        return
    when = when or timezone.now()
    footprint.status = FootprintStatus.DEPRECATED
    footprint.deprecated_at = when
    footprint.document_v3 = {**footprint.document_v3, "status": "Deprecated"}
    if footprint.document_v2 is not None:
        updated = max(when, datetime.fromisoformat(
            footprint.document_v2["created"].replace("Z", "+00:00")) + timedelta(seconds=1))
        footprint.document_v2 = {
            **footprint.document_v2, "status": "Deprecated",
            "version": int(footprint.document_v2["version"]) + 1,
            "updated": date_time(updated),
            "statusComment": comment}
    footprint.save(update_fields=["status", "deprecated_at", "document_v3", "document_v2"])
    append("footprint.deprecated", footprint, {"id": str(footprint.id), "why": comment}, user)


# --- customers and tokens -----------------------------------------------------------------

def create_customer(organisation: Any, name: str, user: Any, *, events_host: str = "",
                    events_client_id: str = "", events_secret: str = "") -> tuple[Customer, str]:
    """A new customer with fresh credentials; the secret is returned once."""
    if events_host.strip():
        check_pact_host(events_host.strip())
    secret = new_secret()
    customer = Customer.objects.create(
        organisation=organisation, name=name.strip(), client_id=f"yt-{secrets.token_hex(12)}",
        secret_sha256=digest(secret), events_host=events_host.strip().rstrip("/"),
        events_client_id=events_client_id.strip(),
        events_secret=encrypt(events_secret) if events_secret else "", created_by=user)
    return customer, secret


def revoke_customer(customer: Customer) -> None:
    if customer.revoked_at is None:
        customer.revoked_at = timezone.now()
        customer.save(update_fields=["revoked_at"])
        customer.tokens.all().delete()


def issue_token(client_id: str, secret: str) -> tuple[str, int] | None:
    """A bearer token for valid, unrevoked credentials (None otherwise)."""
    customer = Customer.objects.filter(client_id=client_id, revoked_at__isnull=True).first()
    if customer is None or not hmac.compare_digest(customer.secret_sha256, digest(secret)):
        return None
    token = new_secret()
    AccessToken.objects.filter(customer=customer, expires_at__lt=timezone.now()).delete()
    AccessToken.objects.create(customer=customer, sha256=digest(token),
                               expires_at=timezone.now() + timedelta(seconds=TOKEN_SECONDS))
    return token, TOKEN_SECONDS


def customer_of_token(token: str) -> tuple[Customer | None, bool]:
    """(customer, expired) of a bearer token; (None, False) when unknown."""
    found = (AccessToken.objects.select_related("customer")
             .filter(sha256=digest(token), customer__revoked_at__isnull=True).first())
    if found is None:
        return None, False
    return found.customer, found.expires_at <= timezone.now()


# --- secrets we must send to other hosts --------------------------------------------------

def _fernet() -> Fernet:
    key = hashlib.sha256(b"yuntan-exchange:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str) -> str:
    """A secret we must present to another host, encrypted with a key derived from the
    platform's secret key (the database alone does not reveal it)."""
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ExchangeError(_("A stored secret cannot be decrypted (the platform's secret key "
                              "changed?): enter it again.")) from exc


def deprecate_on_revocation(sender: Any, label: Label, user: Any, **kwargs: Any) -> None:
    """A revoked label withdraws the footprints shared on its strength."""
    for footprint in SharedFootprint.objects.select_for_update().filter(
            label=label, status=FootprintStatus.ACTIVE):
        deprecate(footprint, user, comment=f"Label {label.number} was revoked.")
