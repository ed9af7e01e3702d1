"""What a carbon footprint label (碳足迹标识) says, and its canonical form for signing.

:class:`LabelContent` holds every field the certification body signs; :func:`canonical_json`
turns it into the RFC 8785 (JSON Canonicalization Scheme) bytes that the signature covers,
so the same content gives the same bytes in any language or JSON library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

import rfc8785

from yuntan.labels.errors import InvalidLabelContent

if TYPE_CHECKING:
    from yuntan.accounting import Grade

CONTENT_FORMAT = "yuntan-label/1"

# Certificate validity under the national product carbon footprint labelling scheme's 2025
# certification rules (产品碳足迹标识认证, 2025 rules as cited in the platform issue): two years
# from the issue date. One constant so a change of the rules is one edit.
VALIDITY_YEARS = 2

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def validity(issue_date: date, years: int = VALIDITY_YEARS) -> tuple[date, date]:
    """``(valid_from, valid_to)`` of a label issued on ``issue_date``: valid from the issue
    date to the same calendar date ``years`` later (two years under the national scheme's
    2025 rules); a label issued on 29 February runs to 28 February."""
    try:
        end = issue_date.replace(year=issue_date.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        end = issue_date.replace(year=issue_date.year + years, day=28)
    return issue_date, end


@dataclass(frozen=True)
class LabelContent:
    """Everything a label states, as signed. Build it with :func:`make_content` (it fills
    in the validity); text that a reader sees comes in Chinese and English."""

    certificate_number: str
    product_name_zh: str
    product_name_en: str
    enterprise_name_zh: str
    enterprise_name_en: str
    enterprise_code: str  # unified social credit code (统一社会信用代码), may be empty
    footprint: float  # per declared unit, in footprint_unit
    footprint_unit: str  # "kg CO2e"
    declared_unit_amount: float
    declared_unit: str  # unit symbol of the declared unit (声明单位), e.g. "t"
    system_boundary_zh: str
    system_boundary_en: str
    standard: str  # e.g. "GB/T 24067-2024"
    rule_pack_id: str
    rule_pack_version: str
    gwp_set: str  # e.g. "AR6"
    grade_level: str | None  # None: no level reached, or the thresholds are placeholders
    grade_name_zh: str
    grade_name_en: str
    grade_placeholder: bool  # graded under placeholder thresholds: the label must say so
    illustrative: bool  # computed with placeholder (illustrative) factor datasets
    issue_date: date
    valid_from: date
    valid_to: date
    verification_body_zh: str
    verification_body_en: str
    issuing_body_zh: str
    issuing_body_en: str
    result_inputs_sha256: str  # StudyInputs.sha256 of the result: traces the label back
    key_id: str  # fingerprint of the issuer's public key that signs this content
    format: str = CONTENT_FORMAT

    def __post_init__(self) -> None:
        if not self.certificate_number.strip():
            raise InvalidLabelContent("certificate_number is empty")
        for name in ("footprint", "declared_unit_amount"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value):
                raise InvalidLabelContent(f"{name} must be a finite number, not {value!r}")
        if self.declared_unit_amount <= 0:
            raise InvalidLabelContent("declared_unit_amount must be positive")
        if not _SHA256.match(self.result_inputs_sha256):
            raise InvalidLabelContent("result_inputs_sha256 must be 64 lower-case hex digits")
        if not _SHA256.match(self.key_id):
            raise InvalidLabelContent("key_id must be 64 lower-case hex digits")
        if self.valid_from > self.valid_to:
            raise InvalidLabelContent("valid_from is after valid_to")
        if self.format != CONTENT_FORMAT:
            raise InvalidLabelContent(f"unknown label format {self.format!r}")

    def as_dict(self) -> dict[str, Any]:
        """The content as JSON-ready data (dates as ISO 8601 strings)."""
        data = asdict(self)
        for name in ("issue_date", "valid_from", "valid_to"):
            data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LabelContent:
        """Read content back; every field must be present, none may be extra."""
        names = {f.name for f in fields(cls)}
        missing = sorted(names - set(data))
        extra = sorted(set(data) - names)
        if missing or extra:
            raise InvalidLabelContent(f"label fields missing {missing}, unknown {extra}")
        values = dict(data)
        try:
            for name in ("issue_date", "valid_from", "valid_to"):
                values[name] = date.fromisoformat(str(values[name]))
        except ValueError as exc:
            raise InvalidLabelContent(f"bad date: {exc}") from exc
        for f in fields(cls):
            _check_type(f.name, str(f.type), values[f.name])
        return cls(**values)

    def expired(self, on: date) -> bool:
        """Whether the label is past its validity on ``on``."""
        return on > self.valid_to


def _check_type(name: str, annotation: str, value: object) -> None:
    ok = {
        "str": isinstance(value, str),
        "str | None": value is None or isinstance(value, str),
        "bool": isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "date": isinstance(value, date),
    }.get(annotation, True)
    if not ok:
        raise InvalidLabelContent(f"{name} has the wrong type ({type(value).__name__})")


def make_content(*, issue_date: date, **fields_: Any) -> LabelContent:
    """A :class:`LabelContent` whose validity runs from ``issue_date`` for
    :data:`VALIDITY_YEARS` years (see :func:`validity`)."""
    valid_from, valid_to = validity(issue_date)
    return LabelContent(issue_date=issue_date, valid_from=valid_from, valid_to=valid_to,
                        **fields_)


def grade_fields(grade: Grade) -> dict[str, Any]:
    """The label's grade fields from :func:`yuntan.accounting.grade`, placeholder flag
    included: ``make_content(**grade_fields(outcome.grade), ...)``."""
    return {"grade_level": grade.level, "grade_name_zh": grade.name_zh,
            "grade_name_en": grade.name_en, "grade_placeholder": grade.placeholder}


def canonical_json(content: LabelContent) -> bytes:
    """The bytes that are signed: the content's JSON in RFC 8785 canonical form (sorted
    keys, no whitespace, ECMAScript number formatting, UTF-8)."""
    return rfc8785.dumps(content.as_dict())
