"""JSON from outside (request bodies, PACT answers, uploaded files) read within bounds.

``json.loads`` accepts ``NaN`` and ``Infinity``, turns ``1e999`` into infinity, reads a
4,000-digit integer and recurses once per nesting level (a body of ``[[[[…`` ends in a
``RecursionError``). :func:`loads` refuses all of those with :class:`UnreadableJson`, a
``ValueError`` whose message says what is wrong, so callers answer 400 instead of 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64  # PACT footprints nest about 8 levels; meter batches 3
MAX_INTEGER_DIGITS = 19  # fits a 64-bit database column


class UnreadableJson(ValueError):
    """The text is not JSON, or JSON beyond what is read (depth, numbers)."""


def _constant(name: str) -> Any:
    raise UnreadableJson(f"{name} is not a number JSON allows; send a finite number.")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnreadableJson(f"the number {text[:40]} is too large.")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise UnreadableJson(f"the integer {text[:40]}… has more than {MAX_INTEGER_DIGITS} "
                             "digits.")
    return int(text)


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The value of ``text`` (UTF-8 when bytes), or :class:`UnreadableJson`."""
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float,
                           parse_int=_int)
    except RecursionError:
        raise UnreadableJson(f"the JSON nests deeper than {max_depth} levels.") from None
    except UnreadableJson:
        raise
    except UnicodeDecodeError as exc:
        raise UnreadableJson(f"the text is not UTF-8 ({exc.reason}).") from None
    except ValueError as exc:  # JSONDecodeError, or an integer too long for Python
        raise UnreadableJson(f"not JSON: {exc}") from None
    _check_depth(value, max_depth)
    return value


def _check_depth(value: Any, max_depth: int) -> None:
    """Refuse values nested deeper than ``max_depth`` (without recursing)."""
    level: list[Any] = [value]
    for _depth in range(max_depth + 1):
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                below.extend(v for v in item if isinstance(v, dict | list))
        if not below:
            return
        level = below
    raise UnreadableJson(f"the JSON nests deeper than {max_depth} levels.")
