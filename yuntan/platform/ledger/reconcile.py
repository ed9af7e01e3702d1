"""Reconciling the current rows with the ledger (对账): the chain proves the entries are
intact; this proves the rows the platform shows and signs still say what the entries
recorded. A row changed behind the platform's back (a direct SQL ``UPDATE``) is named.

Covered: results (number, total, headline method, completeness, GWP set, the SHA-256 of the
inputs and of the outcome JSON), current activity values (the replay of every
``activity.changed`` entry), labels (status, validity, the signed document's digest and
signature) and published or deprecated factor versions (fields and values). An entry written
before a digest was added is checked for what it carries.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from yuntan.accounting import StudyInputs
from yuntan.labels.content import LabelContent, canonical_json
from yuntan.platform.factors.models import FactorValue, FactorVersion, Status
from yuntan.platform.labels.models import Label, LabelStatus
from yuntan.platform.ledger.hooks import json_sha256
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.models import ActivityValue, Result, Study


@dataclass(frozen=True)
class Disagreement:
    """A row that does not say what the ledger recorded: ``subject`` names it
    (``app.model:pk``), ``message`` says what differs (bilingual)."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _entries(kinds: Iterable[str], **filters: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(kind, object pk, payload) of the entries of ``kinds``, in sequence order."""
    rows = LedgerEntry.objects.filter(kind__in=list(kinds), **filters).order_by("sequence")
    for kind, pk, payload in rows.values_list("kind", "object_pk", "payload").iterator(
            chunk_size=500):
        if pk.isdigit() and isinstance(payload, dict):  # (the chain check reports the rest)
            yield kind, pk, payload


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, (int, float)) and isinstance(b, (int, float))
                and not isinstance(a, bool) and not isinstance(b, bool)
                and (a == b or (math.isnan(a) and math.isnan(b))))
    return bool(a == b)


# --- results ------------------------------------------------------------------------------

_RESULT_FIELDS = ("study", "number", "total_kg_co2e", "inputs_sha256", "headline_method",
                  "gwp_set", "engine_version", "complete", "proposed")


def _result_row(result: Result) -> dict[str, Any]:
    return {"study": result.study_id, "number": result.number,
            "total_kg_co2e": result.total_kg_co2e, "inputs_sha256": result.inputs_sha256,
            "headline_method": result.headline_method, "gwp_set": result.gwp_set,
            "engine_version": result.engine_version, "complete": result.complete,
            "proposed": result.proposed}


def _check_result(result: Result, payload: Mapping[str, Any] | None) -> list[str]:
    if payload is None:
        return ["没有账本记录 / no ledger entry records this result"]
    found = []
    row = _result_row(result)
    for name in _RESULT_FIELDS:
        if name in payload and not _same(row[name], payload[name]):
            found.append(f"{name}: 数据库为 / the database has {row[name]!r}, 账本为 / the "
                         f"ledger recorded {payload[name]!r}")
    try:
        inputs_digest = StudyInputs.from_dict(result.inputs).sha256
    except Exception:  # tampered JSON that no longer reads as inputs
        inputs_digest = ""
    if inputs_digest != payload.get("inputs_sha256"):
        found.append("inputs: 输入数据与账本记录的摘要不符 / the stored inputs no longer match "
                     "the digest the ledger recorded")
    if "outcome_sha256" in payload:
        if json_sha256(result.outcome) != payload["outcome_sha256"]:
            found.append("outcome: 结果数据与账本记录的摘要不符 / the stored outcome no longer "
                         "matches the digest the ledger recorded")
    else:  # an entry from before outcome digests: the outcome must at least agree with the
        # total the entry recorded
        try:
            headline = result.outcome["results"][result.outcome["headline"]]["total"]
        except (KeyError, TypeError):
            headline = None
        if not _same(headline, payload.get("total_kg_co2e")):
            found.append("outcome: 结果数据的总量与账本不符 / the outcome's total does not match "
                         "the ledger")
    return found


def result_disagreements(result: Result) -> list[Disagreement]:
    """What differs between one result and its ``result.created`` entry (empty: none)."""
    payload = None
    for _kind, _pk, data in _entries(["result.created"], object_app="studies",
                                     object_model="result", object_pk=str(result.pk)):
        payload = data
    subject = f"studies.result:{result.pk}"
    return [Disagreement(subject, message) for message in _check_result(result, payload)]


def _results() -> list[Disagreement]:
    recorded = {pk: payload for _k, pk, payload in _entries(["result.created"])}
    found = []
    for result in Result.objects.order_by("pk").iterator(chunk_size=200):
        subject = f"studies.result:{result.pk}"
        found += [Disagreement(subject, m)
                  for m in _check_result(result, recorded.pop(str(result.pk), None))]
    found += [Disagreement(f"studies.result:{pk}", "账本记录的结果已从数据库删除 / the ledger "
                           "records this result but the database no longer has it")
              for pk in sorted(recorded, key=int)]
    return found


# --- activity values ----------------------------------------------------------------------


def activity_from_ledger(study_ids: Iterable[int] | None = None
                         ) -> dict[tuple[int, str], tuple[float, str]]:
    """The current activity values as the ledger's ``activity.changed`` entries leave them
    (links are not values and are skipped)."""
    state: dict[tuple[int, str], tuple[float, str] | None] = {}
    filters: dict[str, Any] = {}
    if study_ids is not None:
        filters = {"object_app": "studies", "object_model": "study",
                   "object_pk__in": [str(pk) for pk in study_ids]}
    for _kind, _pk, payload in _entries(["activity.changed"], **filters):
        if payload.get("source") == "link" or "study" not in payload or "field" not in payload:
            continue
        new = payload.get("new")
        key = (int(payload["study"]), str(payload["field"]))
        state[key] = (float(new[0]), str(new[1])) if isinstance(new, list) else None
    return {key: value for key, value in state.items() if value is not None}


def _activity() -> list[Disagreement]:
    recorded = activity_from_ledger()
    studies = set(Study.objects.values_list("pk", flat=True))
    found = []
    for pk, study, field, amount, unit in ActivityValue.objects.order_by("pk").values_list(
            "pk", "study_id", "field_id", "amount", "unit").iterator(chunk_size=1000):
        expected = recorded.pop((study, field), None)
        subject = f"studies.activityvalue:{pk}"
        if expected is None:
            found.append(Disagreement(subject, f"研究 {study} 的 {field}：没有账本记录 / study "
                                      f"{study} {field}: no ledger entry records this value"))
        elif not (_same(amount, expected[0]) and unit == expected[1]):
            found.append(Disagreement(
                subject, f"研究 {study} 的 {field}：数据库为 / study {study} {field}: the "
                f"database has {amount:g} {unit}, 账本为 / the ledger recorded "
                f"{expected[0]:g} {expected[1]}"))
    for (study, field), (amount, unit) in sorted(recorded.items()):
        if study in studies:
            found.append(Disagreement(f"studies.study:{study}", f"{field}：账本记录的 / the "
                                      f"ledger's {amount:g} {unit} 已从数据库删除 / was removed "
                                      f"from the database"))
    return found


# --- labels ---------------------------------------------------------------------------------


@dataclass
class _LabelRecord:
    number: str = ""
    status: str = LabelStatus.ISSUED
    signature: str = ""
    content_sha256: str = ""


def labels_from_ledger(label_pks: Iterable[int] | None = None) -> dict[str, _LabelRecord]:
    """Label pk (text) → what the ledger says of it: its number, digest, signature and
    status after the last ``label.status`` entry."""
    filters: dict[str, Any] = {}
    if label_pks is not None:
        filters = {"object_app": "labels", "object_model": "label",
                   "object_pk__in": [str(pk) for pk in label_pks]}
    records: dict[str, _LabelRecord] = {}
    for kind, pk, payload in _entries(["label.issued", "label.status"], **filters):
        record = records.setdefault(pk, _LabelRecord())
        if kind == "label.issued":
            record.number = str(payload.get("number", ""))
            record.signature = str(payload.get("signature", ""))
            record.content_sha256 = str(payload.get("content_sha256", ""))
            record.status = str(payload.get("status", LabelStatus.ISSUED))
        else:
            record.status = str(payload.get("status", record.status))
    return records


def ledger_status(label: Label) -> str | None:
    """The label's status as the ledger records it (``None``: no entry)."""
    record = labels_from_ledger([label.pk]).get(str(label.pk))
    return record.status if record is not None else None


def _check_label(label: Label, record: _LabelRecord | None) -> list[str]:
    if record is None:
        return ["没有账本记录 / no ledger entry records this label"]
    found = []
    if label.status != record.status:
        found.append(f"status: 数据库为 / the database has {label.status!r}, 账本为 / the "
                     f"ledger recorded {record.status!r}")
    if label.number != record.number:
        found.append(f"number: {label.number!r} ≠ {record.number!r}")
    doc = label.document if isinstance(label.document, dict) else {}
    try:
        content = LabelContent.from_dict(doc["content"])
        digest = hashlib.sha256(canonical_json(content)).hexdigest()
        valid_to: date | None = content.valid_to
    except Exception:  # a document that no longer reads
        digest, valid_to = "", None
    if digest != record.content_sha256 or doc.get("signature") != record.signature:
        found.append("document: 标识内容或签名与账本不符 / the signed content or its signature "
                     "does not match the ledger")
    if valid_to is not None and label.valid_to != valid_to:
        found.append(f"valid_to: 数据库为 / the database has {label.valid_to}, 签名内容为 / "
                     f"the signed content says {valid_to}")
    return found


def label_disagreements(label: Label) -> list[Disagreement]:
    record = labels_from_ledger([label.pk]).get(str(label.pk))
    return [Disagreement(f"labels.label:{label.pk}", m) for m in _check_label(label, record)]


def _labels() -> list[Disagreement]:
    records = labels_from_ledger()
    found = []
    for label in Label.objects.order_by("pk"):
        found += [Disagreement(f"labels.label:{label.pk}", m)
                  for m in _check_label(label, records.pop(str(label.pk), None))]
    found += [Disagreement(f"labels.label:{pk}", "账本记录的标识已从数据库删除 / the ledger "
                           "records this label but the database no longer has it")
              for pk in sorted(records, key=int)]
    return found


# --- factor versions ----------------------------------------------------------------------


def _factors() -> list[Disagreement]:
    published = {pk: payload for _k, pk, payload in _entries(["factor.published"])}
    versions = {str(v.pk): v for v in FactorVersion.objects.select_related("dataset").filter(
        Q(status__in=(Status.PUBLISHED, Status.DEPRECATED))
        | Q(pk__in=[int(pk) for pk in published]))}
    by_name = {(v.dataset.code, v.version): pk for pk, v in versions.items()}
    expected_status = {pk: str(payload.get("status", Status.PUBLISHED))
                       for pk, payload in published.items()}
    for data in published.values():  # a correction deprecates the version it supersedes
        old = by_name.get((str(data.get("dataset")), str(data.get("supersedes"))))
        if data.get("supersedes") is not None and old in expected_status:
            expected_status[old] = Status.DEPRECATED
    values: dict[str, list[list[Any]]] = {}
    for version_id, gas, origin, amount in FactorValue.objects.filter(
            version_id__in=[int(pk) for pk in versions]).order_by(
            "version_id", "gas", "origin").values_list("version_id", "gas", "origin",
                                                       "amount_kg_per_unit"):
        values.setdefault(str(version_id), []).append([gas, origin, amount])
    found = []
    for pk, version in sorted(versions.items(), key=lambda item: int(item[0])):
        subject = f"factors.factorversion:{pk}"
        payload = published.get(pk)
        if payload is None:
            found.append(Disagreement(subject, f"{version}：{version.status}，但没有账本记录 / "
                                      f"{version.get_status_display()} with no ledger entry"))
            continue
        if version.status != expected_status[pk]:
            found.append(Disagreement(subject, f"{version} status: 数据库为 / the database has "
                                      f"{version.status!r}, 账本为 / the ledger recorded "
                                      f"{expected_status[pk]!r}"))
        for name in ("region", "reference_year", "gwp_set"):
            if name in payload and getattr(version, name) != payload[name]:
                found.append(Disagreement(subject, f"{version} {name}: "
                                          f"{getattr(version, name)!r} ≠ {payload[name]!r}"))
        recorded = [[v["gas"], v["origin"], v["kg_per_unit"]] for v in payload.get("values", [])]
        stored = values.get(pk, [])
        if len(recorded) != len(stored) or not all(
                a[:2] == b[:2] and _same(a[2], b[2]) for a, b in zip(stored, recorded,
                                                                     strict=False)):
            found.append(Disagreement(subject, f"{version} 的因子值与账本不符 / the values of "
                                      f"{version} differ from the ledger: {stored} ≠ {recorded}"))
    found += [Disagreement(f"factors.factorversion:{pk}", "账本记录的因子版本已从数据库删除 / "
                           "the ledger records this version but the database no longer has it")
              for pk in sorted(set(published) - set(versions), key=int)]
    return found


def reconcile() -> list[Disagreement]:
    """Every row that does not say what the ledger recorded."""
    return _results() + _activity() + _labels() + _factors()
