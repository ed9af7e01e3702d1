"""Key generation, PEM files, fingerprints, rotation and the published key list."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from label_cases import content

from yuntan.labels import (
    KeyNotFound,
    UnreadableLabel,
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
    sign,
    verify,
    write_key_pair,
)
from yuntan.labels.signing import Status


def test_the_key_id_is_the_sha256_of_the_raw_public_key() -> None:
    key = generate_key()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    assert fingerprint(key) == fingerprint(key.public_key()) == hashlib.sha256(raw).hexdigest()


def test_keys_round_trip_through_pem() -> None:
    key = generate_key()
    assert fingerprint(load_private_key(private_key_pem(key))) == fingerprint(key)
    assert fingerprint(load_public_key(public_key_pem(key))) == fingerprint(key)
    locked = private_key_pem(key, password=b"secret")
    assert b"ENCRYPTED" in locked
    assert fingerprint(load_private_key(locked, b"secret")) == fingerprint(key)
    with pytest.raises(UnreadableLabel):
        load_public_key("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


def test_a_written_private_key_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    key_id = write_key_pair(tmp_path, generate_key())
    assert stat.S_IMODE((tmp_path / f"{key_id}.key").stat().st_mode) == 0o600
    assert (tmp_path / f"{key_id}.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    key = generate_key()
    write_key_pair(tmp_path, key)
    with pytest.raises(FileExistsError):
        write_key_pair(tmp_path, key)


def test_rotation_signs_with_the_new_key_and_still_verifies_old_labels(
        tmp_path: Path) -> None:
    with pytest.raises(KeyNotFound):
        load_signing_key(tmp_path)
    first = rotate_key(tmp_path)
    old_key = load_signing_key(tmp_path)
    old_label = sign(content(old_key), old_key)
    second = rotate_key(tmp_path)
    new_key = load_signing_key(tmp_path)
    assert fingerprint(new_key) == second != first
    new_label = sign(content(new_key), new_key)
    published = load_public_keys(tmp_path)
    assert set(published) == {first, second}
    assert verify(old_label, published).valid and verify(new_label, published).valid
    only_new = {second: published[second]}
    assert verify(old_label, only_new).status is Status.UNKNOWN_KEY


def test_the_published_key_list_reads_back(tmp_path: Path) -> None:
    rotate_key(tmp_path)
    rotate_key(tmp_path)
    keys = load_public_keys(tmp_path)
    text = published_keys_json(keys)
    assert set(read_published_keys(text)) == set(keys)


def test_a_published_entry_under_the_wrong_id_is_refused() -> None:
    key = generate_key()
    data = json.loads(published_keys_json({fingerprint(key): key.public_key()}))
    data["keys"][0]["key_id"] = "0" * 64
    with pytest.raises(UnreadableLabel, match="does not match"):
        read_published_keys(json.dumps(data))
    with pytest.raises(UnreadableLabel):
        read_published_keys("{}")
