"""The exceptions of :mod:`yuntan.pact`: one family, named for the condition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class PactError(Exception):
    """Base of every error raised by :mod:`yuntan.pact`."""


@dataclass(frozen=True)
class Violation:
    """One reason an instance does not match the official schema, at a JSON path."""

    path: str  # JSONPath of the offending value, e.g. ``$.pcf.declaredUnitOfMeasurement``
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SchemaViolation(PactError):
    """An instance does not validate against the official PACT OpenAPI schema.

    ``violations`` lists every problem with its JSON path; ``str()`` shows them all.
    """

    def __init__(self, what: str, violations: Sequence[Violation]) -> None:
        self.what = what
        self.violations = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{what} does not match the PACT schema "
                         f"({len(self.violations)} problem(s)):\n{lines}")


class MalformedEvent(SchemaViolation):
    """A CloudEvents body posted to the events endpoint is not a valid PACT event.

    The host answers it with HTTP 400 and the spec's ``BadRequest`` error body.
    """


class UnknownSpecVersion(PactError):
    """A version other than PACT 2.x or 3.x was asked for or found in ``specVersion``."""


class NotExpressible(PactError):
    """Our facts cannot be written in the asked PACT version without inventing data
    (e.g. a mandatory v2.3 field we do not know, or a negative value where PACT wants >= 0).
    The message names the field and what to supply."""


class InvalidFilter(PactError):
    """A ListFootprints query parameter or RequestCreated criterion is malformed.

    The host answers it with HTTP 400 and the spec's ``BadRequest`` error body."""
