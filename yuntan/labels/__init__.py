"""Carbon footprint labels (碳足迹标识), pure: content, canonical form, Ed25519 signature,
keys and rotation, offline verification, QR code and label images. No Django here; the
platform's ``labels`` app stores labels, moves their status and serves the public page.
See ``docs/labels.md``."""

from yuntan.labels.content import (
    CONTENT_FORMAT,
    VALIDITY_YEARS,
    LabelContent,
    canonical_json,
    make_content,
    validity,
)
from yuntan.labels.errors import InvalidLabelContent, KeyNotFound, LabelError, UnreadableLabel
from yuntan.labels.keys import (
    fingerprint,
    generate_key,
    load_private_key,
    load_public_key,
    load_public_keys,
    load_signing_key,
    private_key_pem,
    public_key_pem,
    published_keys_json,
    read_published_keys,
    rotate_key,
    write_key_pair,
)
from yuntan.labels.signing import (
    DOCUMENT_FORMAT,
    LabelDocument,
    Level,
    SignedLabel,
    Status,
    VerifyOutcome,
    document,
    document_json,
    read_document,
    sign,
    verify,
    verify_document,
)

__all__ = [
    "CONTENT_FORMAT", "DOCUMENT_FORMAT", "VALIDITY_YEARS", "InvalidLabelContent",
    "KeyNotFound", "LabelContent", "LabelDocument", "LabelError", "Level", "SignedLabel",
    "Status", "UnreadableLabel", "VerifyOutcome", "canonical_json", "document",
    "document_json", "fingerprint", "generate_key", "load_private_key", "load_public_key",
    "load_public_keys", "load_signing_key", "make_content", "private_key_pem",
    "public_key_pem", "published_keys_json", "read_document", "read_published_keys",
    "rotate_key", "sign", "validity", "verify", "verify_document", "write_key_pair",
]
