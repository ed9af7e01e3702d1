"""The labels package's one exception family."""

from __future__ import annotations


class LabelError(Exception):
    """Base of every error raised by ``yuntan.labels``."""


class InvalidLabelContent(LabelError):
    """A label's content is incomplete or inconsistent; fix the field named in the message."""


class UnreadableLabel(LabelError):
    """A label document or key file cannot be read: not JSON, not this format, or a field
    is missing. Download the label again from its verification page."""


class KeyNotFound(LabelError):
    """No signing key in the key directory; create one with :func:`rotate_key`."""
