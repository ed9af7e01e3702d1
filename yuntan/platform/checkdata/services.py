"""Storing cross-check data and handing it to the checks.

Every change is one transaction with its ledger entry: a batch of readings lands whole or
not at all (``meters.received``), bills and green documents are added or removed
(``bill.added`` ...). :func:`check_data` gives what :func:`yuntan.checks.run_all` compares
a study with."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.checks import Bill as CoreBill
from yuntan.checks import GreenEvidence, MeterReading, Period, ReadingKind
from yuntan.electricity import Instrument, InstrumentKind
from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.platform.checkdata.models import (
    Bill,
    GreenDocument,
    MeterBatch,
    MeterFeed,
)
from yuntan.platform.checkdata.models import MeterReading as StoredReading
from yuntan.platform.credentials import digest, new_secret
from yuntan.platform.ledger.actions import append
from yuntan.platform.studies.models import Evidence, Product, Study
from yuntan.platform.studies.services import StudyError, pack_of, require_editable
from yuntan.rules import Dimension, RulePack, get_pack
from yuntan.units import conversion_factor

MAX_READINGS = 500_000  # one batch: a year of 15-minute data of 14 meters
TOKEN_PREFIX = "ytm_"
# Readings this far outside a study's period are still read: a cumulative register needs
# the reading before the period starts, and the one after it ends, to count the edges.
EDGE = timedelta(days=92)
# No meter reads more in any unit (a thousand times the world's yearly electricity in kWh):
# a larger value is a typing or unit error, and would overflow sums.
MAX_READING = 1e15


class CheckDataError(StudyError):
    """Bad cross-check data; ``problems`` lists each (field, message)."""


def _field(pack: RulePack, field_id: str, unit: str | None = None) -> Any:
    try:
        spec = pack.field(field_id)
    except KeyError:
        raise CheckDataError(_("%(field)s is not a field of this rule pack.")
                             % {"field": field_id}) from None
    if unit is not None:
        try:
            conversion_factor(unit, spec.unit)
        except (DimensionMismatch, UnknownUnit):
            raise CheckDataError(
                _("%(unit)s cannot be converted to %(field_unit)s, the unit of %(field)s.")
                % {"unit": unit, "field_unit": spec.unit, "field": field_id}) from None
    return spec


def product_pack(product: Product) -> RulePack:
    """The newest version of the product's rule pack (field ids do not change between
    versions of a pack)."""
    return get_pack(product.rule_pack_id)


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


# --- meter readings -----------------------------------------------------------------------

@transaction.atomic
def store_readings(product: Product, field_id: str, readings: Sequence[MeterReading], *,
                   source: str, raw: bytes, file_name: str = "", user: Any = None,
                   feed: MeterFeed | None = None) -> MeterBatch:
    """Keep a batch of readings of ``field_id`` of ``product``: all or nothing.

    Times without a zone are in the platform's zone. A reading repeating a stored one (same
    meter, kind and time) with the same value is skipped; with another value the batch is
    refused, naming each conflict.
    """
    pack = product_pack(product)
    if not readings:
        raise CheckDataError(_("The batch holds no readings."))
    if len(readings) > MAX_READINGS:
        raise CheckDataError(_("A batch holds at most %(n)s readings; split the file.")
                             % {"n": f"{MAX_READINGS:,}"})
    for unit in sorted({r.unit for r in readings}):
        _field(pack, field_id, unit)
    problems: list[dict[str, Any]] = []
    batch_values: dict[tuple[str, str, datetime], tuple[float, str]] = {}
    for reading in readings:
        value = float(reading.value)
        if not math.isfinite(value) or value < 0 or value > MAX_READING:
            problems.append({"field": reading.meter_id, "message": _(
                "%(time)s: %(value)s must be a finite, non-negative number (at most 10^15).")
                % {"time": reading.timestamp.isoformat(), "value": reading.value}})
            continue
        key = (reading.meter_id, ReadingKind(reading.kind).value, _aware(reading.timestamp))
        if key in batch_values and batch_values[key][0] != value:
            problems.append({"field": reading.meter_id, "message": _(
                "%(time)s appears twice in the batch with different values.")
                % {"time": key[2].isoformat()}})
        batch_values[key] = (value, reading.unit)
    stored = StoredReading.objects.filter(product=product, field_id=field_id,
                                          meter_id__in={k[0] for k in batch_values})
    kinds = dict(stored.values_list("meter_id", "kind").distinct())
    for meter_id, kind, _when in batch_values:
        if kinds.setdefault(meter_id, kind) != kind:
            problems.append({"field": meter_id, "message": _(
                "meter %(meter)s already has %(kind)s readings; a meter keeps one kind.")
                % {"meter": meter_id, "kind": kinds[meter_id]}})
            kinds[meter_id] = kind  # report once per meter
    if batch_values:
        times = [k[2] for k in batch_values]
        existing = {(r.meter_id, r.kind, r.timestamp): r.value for r in stored.filter(
            timestamp__gte=min(times), timestamp__lte=max(times))}
    else:
        existing = {}
    skipped = 0
    new: list[tuple[tuple[str, str, datetime], float, str]] = []
    for key, (value, unit) in batch_values.items():
        if key in existing:
            if existing[key] == value:
                skipped += 1
            else:
                problems.append({"field": key[0], "message": _(
                    "%(time)s: %(value)s differs from the stored reading %(stored)s; "
                    "readings are never overwritten.")
                    % {"time": key[2].isoformat(), "value": value, "stored": existing[key]}})
        else:
            new.append((key, value, unit))
    if problems:
        raise CheckDataError(_("The readings were not stored: %(n)s problem(s).")
                             % {"n": len(problems)}, problems[:200])
    sha256 = hashlib.sha256(raw).hexdigest()
    batch = MeterBatch.objects.create(
        product=product, field_id=field_id, source=source, file_name=file_name[:255],
        sha256=sha256, stored=len(new), skipped=skipped, feed=feed,
        created_by=user if getattr(user, "is_authenticated", False) else None)
    _insert_readings(batch, new)
    stamps = [key[2] for key, _value, _unit in new]
    append("meters.received", batch, {
        "product": product.pk, "field": field_id, "source": source, "sha256": sha256,
        "stored": len(new), "skipped": skipped,
        "first": min(stamps).isoformat() if stamps else None,
        "last": max(stamps).isoformat() if stamps else None,
        "feed": feed.token_prefix if feed else None}, user or (feed and f"feed:{feed.pk}"))
    if feed is not None:
        feed.last_used_at = timezone.now()
        feed.save(update_fields=["last_used_at"])
    return batch


READING_COLUMNS = ("batch_id", "product_id", "field_id", "meter_id", "kind", "timestamp",
                   "value", "unit")


def _insert_readings(batch: MeterBatch,
                     rows: Sequence[tuple[tuple[str, str, datetime], float, str]]) -> None:
    """Insert the batch's readings with ``COPY`` (PostgreSQL) or one prepared statement
    (``executemany``): model instances cost more than the rows themselves at a year of
    15-minute data."""
    connection = connections[StoredReading.objects.db]
    quote = connection.ops.quote_name
    target = (f"{quote(StoredReading._meta.db_table)} "
              f"({', '.join(quote(c) for c in READING_COLUMNS)})")
    adapt = connection.ops.adapt_datetimefield_value
    params = [(batch.pk, batch.product_id, batch.field_id, meter_id, kind, adapt(moment),
               value, unit) for (meter_id, kind, moment), value, unit in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(READING_COLUMNS))})"
        for start in range(0, len(params), 10_000):
            cursor.executemany(sql, params[start:start + 10_000])


def readings_of(product: Product, field_ids: Iterable[str], period: Period
                ) -> dict[str, list[MeterReading]]:
    """The stored readings of ``product`` for each field that has any, around ``period``."""
    found: dict[str, list[MeterReading]] = {}
    rows = StoredReading.objects.filter(
        product=product, field_id__in=list(field_ids),
        timestamp__gte=period.start - EDGE, timestamp__lte=period.end + EDGE
    ).values_list("field_id", "meter_id", "timestamp", "value", "unit", "kind")
    for field_id, meter_id, moment, value, unit, kind in rows.iterator(chunk_size=10000):
        found.setdefault(field_id, []).append(
            MeterReading(moment, meter_id, value, unit, ReadingKind(kind)))
    return found


# --- feeds --------------------------------------------------------------------------------

@transaction.atomic
def create_feed(product: Product, field_id: str, name: str, user: Any) -> tuple[MeterFeed, str]:
    """A new push credential; the token is returned once and only its hash is kept."""
    spec = _field(product_pack(product), field_id)
    token = f"{TOKEN_PREFIX}{new_secret()}"
    feed = MeterFeed.objects.create(
        product=product, field_id=spec.id, name=name.strip() or spec.id,
        token_prefix=token[:12], token_sha256=digest(token), created_by=user)
    return feed, token


def revoke_feed(feed: MeterFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])


def feed_of_token(token: str) -> MeterFeed | None:
    """The live feed a bearer token belongs to, if any."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (MeterFeed.objects.select_related("product")
            .filter(token_sha256=digest(token), revoked_at__isnull=True).first())


# --- bills and green documents ------------------------------------------------------------

def days_period(start: date, end: date) -> Period:
    """Whole days ``start`` … ``end`` (inclusive) in the platform's zone."""
    zone = timezone.get_default_timezone()
    return Period(datetime.combine(start, time.min, tzinfo=zone),
                  datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def _check_amount(quantity: float, start: date, end: date) -> None:
    if not math.isfinite(quantity) or quantity < 0:
        raise CheckDataError(_("The quantity must be a finite, non-negative number."))
    if end < start:
        raise CheckDataError(_("The period ends before it starts."))


def _require_editable(study: Study) -> None:
    """The study as it is now in the database (not as the caller last read it) must be
    editable."""
    study.refresh_from_db(fields=["status"])
    require_editable(study)


def _evidence_of(study: Study, evidence_id: int | None) -> Evidence | None:
    if evidence_id is None:
        return None
    found = study.evidence.filter(pk=evidence_id).first()
    if found is None:
        raise CheckDataError(_("That evidence file is not attached to this study."))
    return found


@transaction.atomic
def add_bill(study: Study, user: Any, *, field_id: str, supplier: str, number: str,
             period_start: date, period_end: date, quantity: float, unit: str,
             evidence_id: int | None = None) -> Bill:
    _require_editable(study)
    _field(pack_of(study), field_id, unit)
    _check_amount(quantity, period_start, period_end)
    bill = Bill.objects.create(
        study=study, field_id=field_id, supplier=supplier.strip(), number=number.strip(),
        period_start=period_start, period_end=period_end, quantity=quantity, unit=unit,
        evidence=_evidence_of(study, evidence_id), created_by=user)
    append("bill.added", bill, _bill_payload(bill), user)
    return bill


def _bill_payload(bill: Bill) -> dict[str, Any]:
    return {"study": bill.study_id, "field": bill.field_id, "supplier": bill.supplier,
            "number": bill.number, "from": bill.period_start.isoformat(),
            "to": bill.period_end.isoformat(), "quantity": bill.quantity, "unit": bill.unit,
            "evidence": bill.evidence.sha256 if bill.evidence else None}


@transaction.atomic
def remove_bill(bill: Bill, user: Any) -> None:
    _require_editable(bill.study)
    append("bill.removed", bill, _bill_payload(bill), user)
    bill.delete()


@transaction.atomic
def add_green_document(study: Study, user: Any, *, kind: str, reference: str,
                       quantity: float, unit: str, period_start: date, period_end: date,
                       evidence_id: int | None = None) -> GreenDocument:
    _require_editable(study)
    if not reference.strip():
        raise CheckDataError(_("Name the certificate numbers or the contract."))
    try:
        conversion_factor(unit, "kWh")
    except (DimensionMismatch, UnknownUnit):
        raise CheckDataError(_("%(unit)s is not a unit of electricity (e.g. kWh, MWh).")
                             % {"unit": unit}) from None
    _check_amount(quantity, period_start, period_end)
    document = GreenDocument.objects.create(
        study=study, kind=InstrumentKind(kind).value, reference=reference.strip(),
        quantity=quantity, unit=unit, period_start=period_start, period_end=period_end,
        evidence=_evidence_of(study, evidence_id), created_by=user)
    append("green.added", document, _green_payload(document), user)
    return document


def _green_payload(document: GreenDocument) -> dict[str, Any]:
    return {"study": document.study_id, "kind": document.kind,
            "reference": document.reference, "quantity": document.quantity,
            "unit": document.unit, "from": document.period_start.isoformat(),
            "to": document.period_end.isoformat(),
            "evidence": document.evidence.sha256 if document.evidence else None}


@transaction.atomic
def remove_green_document(document: GreenDocument, user: Any) -> None:
    _require_editable(document.study)
    append("green.removed", document, _green_payload(document), user)
    document.delete()


# --- what the checks get ------------------------------------------------------------------

@dataclass(frozen=True)
class CheckData:
    meter_readings: dict[str, list[MeterReading]]
    bills: dict[str, list[CoreBill]]
    green_claims: tuple[Instrument, ...]
    green_evidence: tuple[GreenEvidence, ...]


def check_data(study: Study, period: Period) -> CheckData:
    """The study's cross-check data as the core checks take it.

    Green documents are the evidence; those overlapping the period are also the claims
    (the contract-backed fields of the pack are what the study uses of them)."""
    pack = pack_of(study)
    readings = readings_of(study.product, [f.id for f in pack.fields
                                           if f.dimension is not Dimension.DIMENSIONLESS],
                           period)
    bills: dict[str, list[CoreBill]] = {}
    for bill in study.bills.all():
        bills.setdefault(bill.field_id, []).append(CoreBill(
            days_period(bill.period_start, bill.period_end), bill.quantity, bill.unit,
            bill.supplier, bill.number))
    evidence, claims = [], []
    for document in study.green_documents.all():
        covered = days_period(document.period_start, document.period_end)
        record = GreenEvidence(InstrumentKind(document.kind), document.reference,
                               document.quantity, document.unit, covered)
        evidence.append(record)
        if period.overlap_seconds(covered) > 0:
            claims.append(Instrument(record.kind, record.kwh, evidence=record.reference))
    return CheckData(readings, bills, tuple(claims), tuple(evidence))
