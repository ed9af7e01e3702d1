"""Issue a label on a verified study, and suspend or revoke it: certification body only,
each in one transaction with its ledger entry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.accounting import Grade, material_gaps
from yuntan.formats.collection import BOUNDARY_LABELS
from yuntan.labels import (
    document,
    grade_fields,
    load_public_keys,
    load_signing_key,
    make_content,
    sign,
)
from yuntan.labels.errors import KeyNotFound, UnreadableLabel
from yuntan.labels.keys import fingerprint
from yuntan.labels.signing import document_as_dict
from yuntan.platform.accounts.access import membership_of
from yuntan.platform.accounts.models import Role
from yuntan.platform.labels.models import Label, LabelStatus, Surveillance
from yuntan.platform.ledger.actions import append
from yuntan.platform.ledger.keys import passphrase
from yuntan.platform.ledger.reconcile import (
    label_disagreements,
    ledger_status,
    result_disagreements,
)
from yuntan.platform.verification.actions import VerificationError
from yuntan.platform.verification.models import Verification, VerificationStatus
from yuntan.rules import get_pack

BOUNDARY = {boundary.value: names for boundary, names in BOUNDARY_LABELS.items()}


# Sent (inside the revoking transaction) when a label is revoked: what relies on it reacts,
# e.g. a footprint shared through PACT is deprecated.
label_revoked = Signal()


def keys_dir() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "labels"


def public_url(number: str) -> str:
    return reverse("labels:public", args=[number])


def _certifier(user: Any) -> Any:
    membership = membership_of(user)
    if membership is None or membership.role != Role.CERTIFIER:
        raise VerificationError(_("Your role may not do this."))
    return membership


def _certifier_of(label: Label, user: Any) -> Any:
    """The user's membership when they certify for the body that issued ``label``."""
    membership = _certifier(user)
    issuer = membership_of(label.issued_by)
    if issuer is None or issuer.organisation_id != membership.organisation_id:
        raise VerificationError(_("Only the certification body that issued this label may "
                                  "act on it."))
    return membership


@transaction.atomic
def issue(verification: Verification, user: Any, base_url: str) -> Label:
    """Sign and store the label of a verified study (``base_url``: the site's address,
    for the QR code)."""
    membership = _certifier(user)
    # Lock only the verification row: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer join to the verification body.
    verification = Verification.objects.select_for_update(of=("self",)).select_related(
        "study__product__organisation", "verification_body").get(pk=verification.pk)
    if verification.status != VerificationStatus.VERIFIED:
        raise VerificationError(_("Only a verified study gets a label."))
    if Label.objects.filter(verification=verification).exists():
        raise VerificationError(_("This verification already has its label."))
    try:
        key = load_signing_key(keys_dir(), passphrase())
    except KeyNotFound as exc:
        raise VerificationError(_("No signing key yet: run `yuntan manage label_keys "
                                  "--rotate`.")) from exc
    except UnreadableLabel as exc:
        raise VerificationError(_("The signing key cannot be read with the configured "
                                  "YUNTAN_KEY_PASSPHRASE: %(error)s") % {"error": exc}) from exc
    snapshot = verification.latest_snapshot()
    assert snapshot is not None
    result = snapshot.result
    # Sign only what the ledger covers: the figure and grade are read from the outcome
    # whose digest the result's ledger entry holds, after checking the row against it.
    if disagreements := result_disagreements(result):
        raise VerificationError(
            _("The result does not match its ledger entry; no label is signed: %(what)s")
            % {"what": "; ".join(d.message for d in disagreements)})
    footprint = result.outcome["results"][result.outcome["headline"]]["total"]
    gaps = material_gaps(result.outcome)
    if gaps:
        raise VerificationError(
            _("This result has gaps that could be material, so it cannot be labelled: "
              "%(gaps)s. Replace the placeholders with measured data or a published "
              "factor and recompute.") % {"gaps": "; ".join(gaps)})
    study = verification.study
    product = study.product
    enterprise = product.organisation
    pack = get_pack(result.inputs["pack"]["id"], result.inputs["pack"]["version"])
    grade = result.outcome["grade"]
    year = timezone.now().year
    number = f"YN-CFP-{year}-{Label.objects.count() + 1:06d}"
    boundary = BOUNDARY[pack.boundary(result.inputs.get("variant")).value]
    issuer = membership.organisation
    body = verification.verification_body
    content = make_content(
        issue_date=timezone.localdate(), certificate_number=number,
        product_name_zh=product.name_zh, product_name_en=product.name_en or product.name_zh,
        enterprise_name_zh=enterprise.name_zh,
        enterprise_name_en=enterprise.name_en or enterprise.name_zh,
        enterprise_code=enterprise.uscc or "", footprint=footprint,
        footprint_unit="kg CO2e", declared_unit_amount=pack.declared_unit.amount,
        declared_unit=pack.declared_unit.unit, system_boundary_zh=boundary[0],
        system_boundary_en=boundary[1], standard=pack.standards[0].code,
        rule_pack_id=pack.id, rule_pack_version=pack.version, gwp_set=result.gwp_set,
        **grade_fields(Grade(grade["level"], grade["name_zh"], grade["name_en"],
                             grade["placeholder"])),
        illustrative=study.illustrative or not result.complete,
        verification_body_zh=body.name_zh if body else "",
        verification_body_en=(body.name_en or body.name_zh) if body else "",
        issuing_body_zh=issuer.name_zh, issuing_body_en=issuer.name_en or issuer.name_zh,
        result_inputs_sha256=result.inputs_sha256, key_id=fingerprint(key))
    signed = sign(content, key)
    doc = document(signed, key.public_key(), base_url.rstrip("/") + public_url(number))
    label = Label.objects.create(verification=verification, number=number,
                                 document=document_as_dict(doc), valid_to=content.valid_to,
                                 issued_by=user,
                                 surveillance_due=_one_year_after(content.issue_date))
    append("label.issued", label, {"number": number, "study": study.pk,
                                   "result": result.pk, "footprint": footprint,
                                   "status": label.status, "signature": signed.signature,
                                   "key_id": signed.key_id,
                                   "content_sha256": signed.content_sha256}, user)
    return label


@transaction.atomic
def set_status(label: Label, user: Any, status: str, reason: str) -> Label:
    """Suspend, revoke (both with a reason) or reinstate a suspended label."""
    label = Label.objects.select_for_update().get(pk=label.pk)
    _certifier_of(label, user)
    if status not in LabelStatus.values:
        raise VerificationError(_("Unknown status."))
    if LabelStatus.REVOKED in (label.status, ledger_status(label)):
        raise VerificationError(_("A revoked label stays revoked."))
    if status != LabelStatus.ISSUED and not reason.strip():
        raise VerificationError(_("Give the reason."))
    label.status, label.status_reason = status, reason.strip()
    label.save(update_fields=["status", "status_reason"])
    append("label.status", label, {"number": label.number, "status": status,
                                   "reason": label.status_reason}, user)
    if status == LabelStatus.REVOKED:
        label_revoked.send(Label, label=label, user=user)
    return label


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def record_surveillance(label: Label, user: Any, outcome: str) -> Surveillance:
    """The annual surveillance of a valid label: recorded and ledgered; the next one falls
    due a year later. Suspending or revoking after a failed surveillance is set_status."""
    label = Label.objects.select_for_update().get(pk=label.pk)
    _certifier_of(label, user)
    if label.current_status() != LabelStatus.ISSUED:
        raise VerificationError(_("Only a valid label is under surveillance."))
    if not outcome.strip():
        raise VerificationError(_("Write the outcome of the surveillance."))
    today = timezone.localdate()
    done = Surveillance.objects.create(label=label, done_on=today, outcome=outcome.strip(),
                                       done_by=user)
    label.surveillance_due = _one_year_after(today)
    label.save(update_fields=["surveillance_due"])
    append("label.surveillance", label, {"number": label.number, "done_on": today.isoformat(),
                                         "outcome": done.outcome,
                                         "next_due": label.surveillance_due.isoformat()}, user)
    return done


def published_keys() -> Any:
    return load_public_keys(keys_dir()) if keys_dir().exists() else {}


def document_text(label: Label) -> str:
    return json.dumps(label.document, ensure_ascii=False, indent=2)


# The worse of two statuses wins when a label's row and its ledger record disagree.
_SEVERITY = {LabelStatus.ISSUED: 0, "expired": 1, LabelStatus.SUSPENDED: 2,
             LabelStatus.REVOKED: 3}


@dataclass(frozen=True)
class LabelState:
    """What the public sees of a label: its status as the ledger records it (expired past
    the signed validity), and every way its row disagrees with the ledger."""

    status: str
    disagreements: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.status == LabelStatus.ISSUED and not self.disagreements


def label_state(label: Label, today: date | None = None) -> LabelState:
    recorded = ledger_status(label) or LabelStatus.REVOKED  # no entry: not a label we issued
    problems = tuple(d.message for d in label_disagreements(label))
    status = max((recorded, label.status) if problems else (recorded,),
                 key=lambda s: _SEVERITY.get(s, 3))
    valid_to = read_valid_to(label) or label.valid_to
    if status == LabelStatus.ISSUED and (today or timezone.localdate()) > valid_to:
        status = "expired"
    return LabelState(str(status), problems)


def read_valid_to(label: Label) -> date | None:
    try:
        return date.fromisoformat(str(label.document["content"]["valid_to"]))
    except (KeyError, TypeError, ValueError):
        return None
