"""The error family of the openLCA JSON-LD reader and writer.

A bad package raises one :class:`InvalidJsonLdPackage` that lists every problem found, each
naming the file inside the package, the record (``@type``, ``@id``, name) and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from yuntan.errors import YuntanLcaError

# The message lists this many problems; all of them stay on ``problems``.
MESSAGE_PROBLEMS = 50


@dataclass(frozen=True)
class JsonLdProblem:
    """One thing wrong with a package: where (file, record, field) and what."""

    path: str  # file inside the package, e.g. ``processes/3f2c….json``; the package for I/O
    type_name: str  # ``Process``, ``Flow``, … (empty for package-level problems)
    uid: str | None
    name: str | None
    field: str  # path of the field inside the record, e.g. ``exchanges[2].unit``
    message: str

    @property
    def record(self) -> str:
        """``processes/x.json (Process @id 'x', name 'steel')``."""
        if not self.type_name:
            return self.path
        parts = [f"{self.type_name} @id {self.uid!r}" if self.uid else
                 f"{self.type_name} without @id"]
        if self.name:
            parts.append(f"name {self.name!r}")
        return f"{self.path} ({', '.join(parts)})"

    def __str__(self) -> str:
        where = f"{self.record}, field {self.field!r}" if self.field else self.record
        return f"{where}: {self.message}"


class JsonLdError(YuntanLcaError):
    """Base class of the errors of :mod:`yuntan.formats.jsonld`."""


class InvalidJsonLdPackage(JsonLdError):
    """A JSON-LD package that cannot be imported; nothing of it is returned.

    ``problems`` lists every problem found (file, record, field, message); fix them in
    openLCA (or in the files) and export again.
    """

    def __init__(self, source: str, problems: Iterable[JsonLdProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems[:MESSAGE_PROBLEMS]]
        if len(self.problems) > MESSAGE_PROBLEMS:
            lines.append(f"… and {len(self.problems) - MESSAGE_PROBLEMS} more problems")
        count = len(self.problems)
        super().__init__(
            f"{source}: {count} problem{'s' if count != 1 else ''} in the openLCA JSON-LD "
            f"package; nothing was imported.\n" + "\n".join(f"- {line}" for line in lines)
        )


class UnknownImpactCategory(JsonLdError):
    """An impact method or category asked for that the package does not hold (or that is
    ambiguous); the message lists the ones it does hold."""


class InvalidFactorDataset(JsonLdError):
    """Factor datasets that cannot be exported; ``problems`` names each dataset and field."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"- {p}" for p in self.problems[:MESSAGE_PROBLEMS])
        super().__init__(
            f"{len(self.problems)} problem(s) in the factor datasets; nothing was written.\n"
            + lines
        )
