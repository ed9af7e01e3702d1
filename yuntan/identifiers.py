"""Identifiers of Chinese organisations and places (pure: no Django, no database).

- The unified social credit code (统一社会信用代码, USCC) of GB 32100-2015: 18 characters,
  the last a check character computed from the first 17 (weights 3^i mod 31 over the
  31-character alphabet that leaves out I, O, Z, S and V).
- The prefectures (州市) of Yunnan by their GB/T 2260 administrative division code, read from
  ``yuntan/data/regions/yunnan-prefectures.csv`` (each row with its source).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 ...
USCC_LENGTH = 18


def uscc_check_character(first17: str) -> str:
    """The check character of a USCC whose first 17 characters are ``first17``."""
    if len(first17) != USCC_LENGTH - 1:
        raise ValueError(f"need the first 17 characters, got {len(first17)}")
    total = 0
    for position, (char, weight) in enumerate(zip(first17, USCC_WEIGHTS, strict=True), 1):
        value = USCC_ALPHABET.find(char)
        if value < 0:
            raise ValueError(f"character {position} {char!r} is not allowed in a USCC")
        total += value * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC (English), or None when it is valid.

    Letters are upper case in the standard; callers normalise with :func:`normalise_uscc`.
    """
    if len(code) != USCC_LENGTH:
        return f"a unified social credit code has 18 characters, this one has {len(code)}"
    for position, char in enumerate(code, 1):
        if char not in USCC_ALPHABET:
            return (f"character {position} {char!r} is not allowed (digits and the capital "
                    f"letters except I, O, Z, S, V)")
    if not code[2:8].isdigit():
        return "characters 3 to 8 must be the digits of an administrative division code"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"the check character should be {expected!r}, not {code[17]!r}: a typo?"
    return None


def normalise_uscc(code: str) -> str:
    """Trim spaces and upper-case letters, as people type them."""
    return "".join(code.split()).upper()


@dataclass(frozen=True)
class Prefecture:
    code: str  # GB/T 2260, six digits, e.g. 530800
    name_zh: str
    name_en: str
    source: str


@cache
def yunnan_prefectures() -> tuple[Prefecture, ...]:
    """The 16 prefecture-level divisions of Yunnan, in code order."""
    text = resources.files("yuntan.data.regions").joinpath("yunnan-prefectures.csv").read_text(
        encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return tuple(sorted((Prefecture(r["code"], r["name_zh"], r["name_en"], r["source"])
                         for r in rows), key=lambda p: p.code))


def prefecture(code: str) -> Prefecture:
    """The Yunnan prefecture with GB/T 2260 ``code``; KeyError names the code."""
    for item in yunnan_prefectures():
        if item.code == code:
            return item
    raise KeyError(f"{code!r} is not the GB/T 2260 code of a Yunnan prefecture")
