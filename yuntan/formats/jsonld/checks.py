"""Checks of the plain JSON of one record, collecting problems that name record and field.

olca-schema's ``from_dict`` copies values without checking them (a string amount stays a
string, a list where an object belongs raises ``AttributeError``), so the fields the reader
relies on are checked here first; only records without problems are handed to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from yuntan.formats.jsonld.errors import JsonLdProblem

T = TypeVar("T")


@dataclass
class Document:
    """One parsed (and, for 1.x files, converted) file of the package."""

    path: str
    type_name: str
    uid: str
    data: dict[str, Any]
    version: int = 2
    converted: bool = False  # 1.x field names were renamed

    @property
    def name(self) -> str | None:
        name = self.data.get("name")
        return name if isinstance(name, str) else None

    @property
    def label(self) -> str:
        return self.name or self.uid


@dataclass
class Problems:
    """Every problem found so far, in the order found."""

    found: list[JsonLdProblem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, doc: Document, field_path: str, message: str) -> None:
        self.found.append(
            JsonLdProblem(doc.path, doc.type_name, doc.uid, doc.name, field_path, message)
        )

    def add_file(self, path: str, type_name: str, message: str, field_path: str = "") -> None:
        self.found.append(JsonLdProblem(path, type_name, None, None, field_path, message))


def join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class Checker:
    """Typed access to the fields of one record; wrong values become problems."""

    doc: Document
    problems: Problems
    count: int = 0  # problems added through this checker

    def problem(self, field_path: str, message: str) -> None:
        self.count += 1
        self.problems.add(self.doc, field_path, message)

    def _get(
        self, data: Mapping[str, Any], key: str, prefix: str, required: bool,
        test: Callable[[Any], bool], expected: str,
    ) -> Any:
        path = join(prefix, key)
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, f"required field is missing ({expected})")
            return None
        if not test(value):
            self.problem(path, f"expected {expected}, found {_describe(value)}")
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, prefix: str = "",
             required: bool = False) -> str | None:
        value = self._get(data, key, prefix, required, lambda v: isinstance(v, str), "a string")
        return value if isinstance(value, str) else None

    def number(self, data: Mapping[str, Any], key: str, prefix: str = "",
               required: bool = False, positive: bool = False) -> float | None:
        value = self._get(
            data, key, prefix, required,
            lambda v: isinstance(v, int | float) and not isinstance(v, bool)
            and math.isfinite(v), "a finite number",
        )
        if value is None:
            return None
        number = float(value)
        if positive and number <= 0:
            self.problem(join(prefix, key), f"must be greater than zero, found {number:g}")
            return None
        return number

    def flag(self, data: Mapping[str, Any], key: str, prefix: str = "") -> bool:
        value = self._get(data, key, prefix, False, lambda v: isinstance(v, bool),
                          "true or false")
        return bool(value)

    def integer(self, data: Mapping[str, Any], key: str, prefix: str = "") -> int | None:
        value = self._get(data, key, prefix, False,
                          lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer")
        return value if isinstance(value, int) else None

    def ref(self, data: Mapping[str, Any], key: str, prefix: str = "",
            required: bool = False) -> dict[str, Any] | None:
        """A reference ``{"@id": …}``; returned whole (its ``name`` helps messages)."""
        value = self._get(
            data, key, prefix, required,
            lambda v: isinstance(v, dict) and isinstance(v.get("@id"), str) and v["@id"] != "",
            'a reference {"@id": …}',
        )
        return value if isinstance(value, dict) else None

    def objects(self, data: Mapping[str, Any], key: str, prefix: str = "",
                required: bool = False) -> list[tuple[int, dict[str, Any]]]:
        """The objects of a list field with their positions; other elements are problems."""
        path = join(prefix, key)
        value = self._get(data, key, prefix, required, lambda v: isinstance(v, list), "a list")
        if value is None:
            return []
        found: list[tuple[int, dict[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((i, item))
            else:
                self.problem(f"{path}[{i}]", f"expected an object, found {_describe(item)}")
        return found

    def choice(self, data: Mapping[str, Any], key: str, options: tuple[str, ...],
               prefix: str = "", required: bool = False) -> str | None:
        value = self.text(data, key, prefix, required)
        if value is not None and value not in options:
            self.problem(join(prefix, key), f"{value!r} is not one of {', '.join(options)}")
            return None
        return value


def parse_with(doc: Document, problems: Problems, parse: Callable[[dict[str, Any]], T]) -> T | None:
    """``parse(doc.data)`` (an olca-schema ``from_dict``); a failure becomes a problem."""
    try:
        return parse(doc.data)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        problems.add(doc, "", f"olca-schema cannot read this record ({type(exc).__name__}: "
                              f"{exc}); check it against the openLCA schema")
        return None
