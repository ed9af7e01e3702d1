"""Signing a label and checking it, online or offline.

The signature is Ed25519 over :func:`canonical_json` of the content. Two levels of check:

- **integrity** (:data:`Level.INTEGRITY`): against the public key embedded in a downloaded
  label document. Proves the content is what the holder of that key signed, not who that
  holder is: anyone can make a key and embed it.
- **origin** (:data:`Level.ORIGIN`): against the certification body's published key list.
  Proves the label was signed by the certification body (with a current or rotated key).
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yuntan.labels.content import LabelContent, canonical_json
from yuntan.labels.errors import InvalidLabelContent, UnreadableLabel
from yuntan.labels.keys import fingerprint, load_public_key, public_key_pem

DOCUMENT_FORMAT = "yuntan-label-document/1"


@dataclass(frozen=True)
class SignedLabel:
    content: LabelContent
    signature: str  # base64 of the 64-byte Ed25519 signature
    key_id: str
    content_sha256: str  # of canonical_json(content): tells "altered" from "bad signature"


class Status(enum.Enum):
    VALID = "valid"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    CONTENT_ALTERED = "content_altered"


class Level(enum.Enum):
    INTEGRITY = "integrity"  # against the key embedded in the document
    ORIGIN = "origin"  # against the certification body's published keys


_MESSAGES: dict[Status, tuple[str, str]] = {
    Status.VALID: ("签名有效，标识内容未被改动",
                   "the signature is valid; the content is unchanged"),
    Status.BAD_SIGNATURE: ("签名无效", "the signature is not valid for this content and key"),
    Status.UNKNOWN_KEY: ("签名密钥未知", "the signing key is not among the keys checked against"),
    Status.CONTENT_ALTERED: ("标识内容已被改动", "the content was changed after signing"),
}

_LEVELS: dict[Level, tuple[str, str]] = {
    Level.INTEGRITY: ("完整性（对照文件内嵌公钥，不证明签发机构）",
                      "integrity (against the key embedded in the file; does not prove "
                      "who issued it)"),
    Level.ORIGIN: ("来源（对照认证机构公布的公钥）",
                   "origin (against the certification body's published keys)"),
}


@dataclass(frozen=True)
class VerifyOutcome:
    status: Status
    level: Level
    key_id: str

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    @property
    def message_zh(self) -> str:
        return _MESSAGES[self.status][0]

    @property
    def message_en(self) -> str:
        return _MESSAGES[self.status][1]

    @property
    def level_zh(self) -> str:
        return _LEVELS[self.level][0]

    @property
    def level_en(self) -> str:
        return _LEVELS[self.level][1]


def sign(content: LabelContent, private_key: Ed25519PrivateKey) -> SignedLabel:
    """Sign ``content`` with the certification body's key; the content must name that
    key (``content.key_id``), so the key id is covered by the signature too."""
    key_id = fingerprint(private_key)
    if content.key_id != key_id:
        raise InvalidLabelContent(f"content.key_id {content.key_id} is not the signing key "
                                  f"{key_id}")
    data = canonical_json(content)
    return SignedLabel(content=content,
                       signature=base64.b64encode(private_key.sign(data)).decode("ascii"),
                       key_id=key_id, content_sha256=hashlib.sha256(data).hexdigest())


def verify(signed: SignedLabel, public_keys: Mapping[str, Ed25519PublicKey],
           level: Level = Level.ORIGIN) -> VerifyOutcome:
    """Check ``signed`` against ``public_keys`` (key id → key); ``level`` records which
    kind of key list this is (see the module docstring)."""
    def outcome(status: Status) -> VerifyOutcome:
        return VerifyOutcome(status, level, signed.key_id)

    key = public_keys.get(signed.key_id)
    if key is None or fingerprint(key) != signed.key_id:
        return outcome(Status.UNKNOWN_KEY)
    data = canonical_json(signed.content)
    if hashlib.sha256(data).hexdigest() != signed.content_sha256:
        return outcome(Status.CONTENT_ALTERED)
    if signed.content.key_id != signed.key_id:
        return outcome(Status.BAD_SIGNATURE)
    try:
        key.verify(base64.b64decode(signed.signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return outcome(Status.BAD_SIGNATURE)
    return outcome(Status.VALID)


@dataclass(frozen=True)
class LabelDocument:
    """A downloaded label: the signed label and the issuer's public key (PEM)."""

    signed: SignedLabel
    public_key_pem: str
    verification_url: str = ""

    def embedded_key(self) -> Ed25519PublicKey:
        return load_public_key(self.public_key_pem)


def document(signed: SignedLabel, public_key: Ed25519PublicKey,
             verification_url: str = "") -> LabelDocument:
    return LabelDocument(signed, public_key_pem(public_key), verification_url)


def document_as_dict(doc: LabelDocument) -> dict[str, Any]:
    return {
        "format": DOCUMENT_FORMAT,
        "content": doc.signed.content.as_dict(),
        "signature": doc.signed.signature,
        "key_id": doc.signed.key_id,
        "content_sha256": doc.signed.content_sha256,
        "public_key_pem": doc.public_key_pem,
        "verification_url": doc.verification_url,
    }


def document_json(doc: LabelDocument) -> str:
    """The label file offered for download (UTF-8 JSON, readable)."""
    return json.dumps(document_as_dict(doc), ensure_ascii=False, indent=2)


def read_document(text: str | bytes) -> LabelDocument:
    """Read a label file; raise :class:`UnreadableLabel` if it is not one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != DOCUMENT_FORMAT:
            raise UnreadableLabel("not a Yuntan label file (format "
                                  f"{data.get('format') if isinstance(data, dict) else None!r})")
        signed = SignedLabel(content=LabelContent.from_dict(data["content"]),
                             signature=str(data["signature"]), key_id=str(data["key_id"]),
                             content_sha256=str(data["content_sha256"]))
        return LabelDocument(signed, str(data["public_key_pem"]),
                             str(data.get("verification_url", "")))
    except (ValueError, KeyError, TypeError, AttributeError, InvalidLabelContent) as exc:
        raise UnreadableLabel(f"unreadable label file: {exc}") from exc


def verify_document(doc: LabelDocument,
                    published_keys: Mapping[str, Ed25519PublicKey] | None = None
                    ) -> VerifyOutcome:
    """Offline check of a downloaded label: against ``published_keys`` when given
    (origin), else against the key embedded in the file (integrity only)."""
    if published_keys is not None:
        return verify(doc.signed, published_keys, Level.ORIGIN)
    key = doc.embedded_key()
    return verify(doc.signed, {fingerprint(key): key}, Level.INTEGRITY)
