"""Errors of the cross-checks: input that cannot be read at all (bad findings are data)."""

from __future__ import annotations

from yuntan.errors import YuntanLcaError


class CheckInputError(YuntanLcaError):
    """Base class of the errors of ``yuntan.checks``."""


class InvalidMeterFile(CheckInputError):
    """A meter CSV that cannot be read: the message names the line and the column."""


class UnknownField(CheckInputError):
    """A field id that the rule pack does not have, or one of the wrong kind for the check."""


class InvalidPeriod(CheckInputError):
    """A period whose end is not after its start."""
