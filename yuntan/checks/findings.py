"""The result of a cross-check (校验发现): one finding, in Chinese and English, with its numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from yuntan.checks.errors import InvalidPeriod


class CheckSeverity(StrEnum):
    """How much a finding matters. A verifier must address every ``high`` before sign-off."""

    LOW = "low"  # for the record: a gap, a placeholder, a comparison that could not be made
    MEDIUM = "medium"  # worth a look: beyond the tolerance, unusual against peers
    HIGH = "high"  # contradicts evidence or physics: explain or correct before sign-off


@dataclass(frozen=True)
class CheckFinding:
    """One finding of one check. ``numbers`` holds the figures the messages quote."""

    check: str  # the check that raised it, e.g. "meter", "mass-balance"
    rule: str  # what was found, e.g. "meter-deviation", "meter-gap"
    severity: CheckSeverity
    message_zh: str
    message_en: str
    fields: tuple[str, ...] = ()
    numbers: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", CheckSeverity(self.severity))
        object.__setattr__(self, "numbers", MappingProxyType(dict(self.numbers)))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, for storing on the study."""
        return {
            "check": self.check, "rule": self.rule, "severity": self.severity.value,
            "message_zh": self.message_zh, "message_en": self.message_en,
            "fields": list(self.fields), "numbers": dict(self.numbers),
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> CheckFinding:
        """The finding :meth:`to_dict` stored."""
        return cls(
            check=str(stored["check"]), rule=str(stored["rule"]),
            severity=CheckSeverity(stored["severity"]),
            message_zh=str(stored["message_zh"]), message_en=str(stored["message_en"]),
            fields=tuple(str(f) for f in stored.get("fields", ())),
            numbers={str(k): float(v) for k, v in stored.get("numbers", {}).items()},
        )


@dataclass(frozen=True)
class Period:
    """A half-open time interval ``[start, end)``, e.g. the study's reference period."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidPeriod(f"period end {self.end} must be after its start {self.start}; "
                                f"a period is [start, end), e.g. 2025-01-01 to 2026-01-01.")

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def overlap_seconds(self, other: Period) -> float:
        """Seconds that ``other`` shares with this period (0 when disjoint)."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return max(0.0, (end - start).total_seconds())

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def relative_deviation(reported: float, reference: float) -> float:
    """``(reported − reference) / reference``; ±inf when the reference is zero and the
    reported amount is not."""
    if reference == 0:
        return 0.0 if reported == 0 else float("inf") if reported > 0 else float("-inf")
    return (reported - reference) / abs(reference)


def deviation_severity(deviation: float, tolerance: float) -> CheckSeverity | None:
    """None within ``tolerance``; medium up to three times it; high beyond."""
    size = abs(deviation)
    if size <= tolerance:
        return None
    return CheckSeverity.HIGH if size > 3 * tolerance else CheckSeverity.MEDIUM
