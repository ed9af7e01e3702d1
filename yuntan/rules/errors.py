"""Errors of the rule-pack package (核算规则): one family, under the core's base class.

Unit errors raised while compiling activity data are the core's own
(:class:`yuntan.errors.DimensionMismatch`, :class:`yuntan.errors.UnknownUnit`), with the
pack and field named in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yuntan.errors import YuntanLcaError

if TYPE_CHECKING:
    from yuntan.rules.compile import Finding


class RulePackError(YuntanLcaError):
    """Base class of every error raised by ``yuntan.rules``."""


@dataclass(frozen=True)
class PackProblem:
    """One broken rule of a pack: which pack, where in it, which rule, what to do."""

    pack: str
    where: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"rule pack {self.pack}, {self.where}: [{self.rule}] {self.message}"


class InvalidRulePack(RulePackError):
    """A rule pack that does not follow the schema; ``problems`` lists every broken rule."""

    def __init__(self, problems: Iterable[PackProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownRulePack(RulePackError):
    """A pack id (or id and version) that is not shipped."""


class FormulaError(RulePackError):
    """A direct-emission formula outside the allowed language, or one that cannot be
    evaluated (unknown name, division by zero, overflow)."""


class IncompleteActivityData(RulePackError):
    """Activity data that cannot be compiled; ``findings`` holds every error found."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("\n".join(f.message_en for f in self.findings))
