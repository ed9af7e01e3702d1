"""Signing and verifying labels; the downloaded label document and its two checks."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from label_cases import URL, content

from yuntan.labels import (
    InvalidLabelContent,
    LabelContent,
    Level,
    SignedLabel,
    Status,
    UnreadableLabel,
    document,
    document_json,
    fingerprint,
    generate_key,
    read_document,
    sign,
    verify,
    verify_document,
)

KEY = generate_key()
PUBLISHED = {fingerprint(KEY): KEY.public_key()}
SIGNED = sign(content(KEY), KEY)

_HEX64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
_BY_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "str": st.text(max_size=30),
    "str | None": st.none() | st.text(max_size=30),
    "float": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**6, 10**6),
    "bool": st.booleans(),
    "date": st.dates(),
}
_SPECIAL: dict[str, st.SearchStrategy[Any]] = {
    "result_inputs_sha256": _HEX64,
    "key_id": _HEX64,
    "format": st.just("yuntan-label/2"),
}
FIELDS = [f for f in dataclasses.fields(LabelContent)]


@st.composite
def changed_field(draw: st.DrawFn) -> tuple[str, Any]:
    field = draw(st.sampled_from(FIELDS))
    value = draw(_SPECIAL.get(field.name, _BY_TYPE[str(field.type)]))
    return field.name, value


def test_a_signed_label_verifies_against_the_signing_key() -> None:
    outcome = verify(SIGNED, PUBLISHED)
    assert outcome.valid and outcome.status is Status.VALID
    assert outcome.level is Level.ORIGIN and outcome.key_id == fingerprint(KEY)
    assert len(base64.b64decode(SIGNED.signature)) == 64


@given(changed_field())
def test_any_change_of_any_field_makes_the_label_invalid(change: tuple[str, Any]) -> None:
    name, value = change
    old = getattr(SIGNED.content, name)
    assume(not (value == old and type(value) is type(old)))
    try:
        altered = dataclasses.replace(SIGNED.content, **{name: value})
    except InvalidLabelContent:
        assume(False)
        raise
    forged = dataclasses.replace(SIGNED, content=altered)
    outcome = verify(forged, PUBLISHED)
    if altered.as_dict() == SIGNED.content.as_dict():  # e.g. 612 for 612.0: same JSON
        assert outcome.valid
        return
    assert outcome.status in (Status.CONTENT_ALTERED, Status.BAD_SIGNATURE)
    # A forger who also recomputes the digest still fails on the signature.
    rehashed = dataclasses.replace(forged, content_sha256=sign(
        dataclasses.replace(altered, key_id=fingerprint(KEY)), KEY).content_sha256)
    assert not verify(rehashed, PUBLISHED).valid


def test_an_altered_content_is_reported_as_altered() -> None:
    forged = dataclasses.replace(SIGNED, content=dataclasses.replace(SIGNED.content,
                                                                     footprint=512.4))
    assert verify(forged, PUBLISHED).status is Status.CONTENT_ALTERED


def test_a_changed_signature_is_a_bad_signature() -> None:
    raw = bytearray(base64.b64decode(SIGNED.signature))
    raw[0] ^= 1
    forged = dataclasses.replace(SIGNED, signature=base64.b64encode(bytes(raw)).decode())
    assert verify(forged, PUBLISHED).status is Status.BAD_SIGNATURE
    assert verify(dataclasses.replace(SIGNED, signature="not base64!"),
                  PUBLISHED).status is Status.BAD_SIGNATURE


def test_another_key_is_an_unknown_key() -> None:
    other = generate_key()
    assert verify(SIGNED, {fingerprint(other): other.public_key()}).status \
        is Status.UNKNOWN_KEY
    # A key filed under the wrong id is not used.
    assert verify(SIGNED, {fingerprint(KEY): other.public_key()}).status is Status.UNKNOWN_KEY


def test_a_label_signed_by_another_key_claiming_the_issuers_id_is_invalid() -> None:
    other = generate_key()
    stolen_id = sign(content(other), other)
    forged = SignedLabel(SIGNED.content, stolen_id.signature, SIGNED.key_id,
                         SIGNED.content_sha256)
    assert verify(forged, PUBLISHED).status is Status.BAD_SIGNATURE


def test_signing_refuses_content_naming_another_key() -> None:
    with pytest.raises(InvalidLabelContent, match="key_id"):
        sign(content(generate_key()), KEY)


def test_a_document_reads_back_and_verifies_at_both_levels() -> None:
    text = document_json(document(SIGNED, KEY.public_key(), URL))
    doc = read_document(text)
    assert doc.signed == SIGNED and doc.verification_url == URL
    integrity = verify_document(doc)
    assert integrity.valid and integrity.level is Level.INTEGRITY
    origin = verify_document(doc, PUBLISHED)
    assert origin.valid and origin.level is Level.ORIGIN
    assert "普通硅酸盐水泥" in text  # readable, not \u-escaped


def test_a_label_re_signed_with_a_forgers_embedded_key_passes_integrity_only() -> None:
    forger = generate_key()
    fake = sign(content(forger, footprint=1.0, issue_date=date(2025, 7, 1)), forger)
    doc = read_document(document_json(document(fake, forger.public_key(), URL)))
    assert verify_document(doc).valid
    assert verify_document(doc, PUBLISHED).status is Status.UNKNOWN_KEY


def test_an_edited_document_fails_offline() -> None:
    data = json.loads(document_json(document(SIGNED, KEY.public_key(), URL)))
    data["content"]["grade_placeholder"] = False
    outcome = verify_document(read_document(json.dumps(data)))
    assert outcome.status is Status.CONTENT_ALTERED
    assert outcome.message_zh and outcome.message_en


@pytest.mark.parametrize("text", [
    "", "not json", "[]", '{"format": "something else"}',
    '{"format": "yuntan-label-document/1", "content": {}}',
])
def test_a_file_that_is_no_label_is_unreadable(text: str) -> None:
    with pytest.raises(UnreadableLabel):
        read_document(text)
