"""``yuntan label verify FILE [--keys ...]``: exit 0 valid, 1 invalid, 2 unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_cases import URL, content

from yuntan.cli import main
from yuntan.labels import (
    document,
    document_json,
    fingerprint,
    load_signing_key,
    public_key_pem,
    published_keys_json,
    rotate_key,
    sign,
)


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    directory = tmp_path / "keys"
    rotate_key(directory)
    return directory


@pytest.fixture
def label_file(tmp_path: Path, keys: Path) -> Path:
    key = load_signing_key(keys)
    path = tmp_path / "YT-2025-0001.json"
    path.write_text(document_json(document(sign(content(key), key), key.public_key(), URL)),
                    encoding="utf-8")
    return path


def test_a_valid_label_exits_0_and_says_integrity_only(
        label_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", "verify", str(label_file)]) == 0
    out = capsys.readouterr().out
    assert "签名有效" in out and "the signature is valid" in out
    assert "integrity" in out and "YT-2025-0001" in out and URL in out


@pytest.mark.parametrize("source", ["directory", "list", "pem"])
def test_published_keys_from_a_directory_list_or_pem_check_the_origin(
        source: str, label_file: Path, keys: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    key = load_signing_key(keys)
    path = {"directory": keys, "list": tmp_path / "keys.json", "pem": tmp_path / "k.pem"}[source]
    (tmp_path / "keys.json").write_text(published_keys_json({fingerprint(key):
                                                             key.public_key()}))
    (tmp_path / "k.pem").write_text(public_key_pem(key))
    assert main(["label", "verify", str(label_file), "--keys", str(path)]) == 0
    assert "origin" in capsys.readouterr().out


def test_an_edited_label_exits_1(label_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(label_file.read_text(encoding="utf-8"))
    data["content"]["footprint"] = 1.0
    label_file.write_text(json.dumps(data), encoding="utf-8")
    assert main(["label", "verify", str(label_file)]) == 1
    assert "标识内容已被改动" in capsys.readouterr().out


def test_a_label_from_another_issuer_exits_1(label_file: Path, tmp_path: Path) -> None:
    assert main(["label", "verify", str(label_file), "--keys",
                 str(tmp_path / "other")]) == 2  # no such directory or file
    other = tmp_path / "other"
    rotate_key(other)
    assert main(["label", "verify", str(label_file), "--keys", str(other)]) == 1


@pytest.mark.parametrize("text", ["not json", "{}", '{"format": "yuntan-label-document/1"}'])
def test_an_unreadable_file_exits_2(text: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "label.json"
    path.write_text(text)
    assert main(["label", "verify", str(path)]) == 2
    assert "unreadable" in capsys.readouterr().err
    assert main(["label", "verify", str(tmp_path / "missing.json")]) == 2


def test_label_without_a_sub_command_exits_2() -> None:
    assert main(["label"]) == 2


def test_without_keys_it_says_plainly_that_the_signer_was_not_checked(
        label_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", "verify", str(label_file)]) == 0
    out = capsys.readouterr().out
    assert "Integrity only, not who signed" in out and "只检查了完整性，未检查签发者" in out


def test_with_keys_it_does_not_say_integrity_only(
        label_file: Path, keys: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", "verify", str(label_file), "--keys", str(keys)]) == 0
    assert "Integrity only, not who signed" not in capsys.readouterr().out
