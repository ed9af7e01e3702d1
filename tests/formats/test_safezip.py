"""The zip guard every reader of an uploaded zip uses (yuntan.formats.safezip)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.hardening.bombs import MIB, deflated, lying, many_members
from yuntan.formats.safezip import (
    UnsafeZip,
    ZipLimits,
    check_unpacked,
    checked_workbook,
    open_zip,
    read_member,
)

SMALL = ZipLimits(max_members=10, max_member_bytes=MIB, max_total_bytes=2 * MIB,
                  max_ratio=100, ratio_floor_bytes=MIB)


def test_it_opens_a_zip_within_the_limits() -> None:
    data = deflated({"a.json": b'{"x": 1}', "b.json": b"[]"})
    with open_zip(io.BytesIO(data), SMALL) as archive:
        assert read_member(archive, "a.json", SMALL) == b'{"x": 1}'


def test_it_opens_a_zip_given_by_path(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(deflated({"a.json": b"{}"}))
    with open_zip(path, SMALL) as archive:
        assert archive.namelist() == ["a.json"]


def test_it_refuses_too_many_members_before_listing_them() -> None:
    with pytest.raises(UnsafeZip, match="holds 11 files, more than the 10 allowed"):
        open_zip(io.BytesIO(many_members(11)), SMALL)


def test_it_refuses_a_member_declared_larger_than_allowed() -> None:
    with pytest.raises(UnsafeZip, match=r"big.json unpacks to 1.5 MB, more than the 1.0 MB"):
        open_zip(io.BytesIO(deflated({"big.json": MIB + MIB // 2})), SMALL)


def test_it_refuses_an_archive_declared_larger_than_allowed() -> None:
    members: dict[str, int | bytes] = {f"{i}.json": MIB - 1 for i in range(3)}
    with pytest.raises(UnsafeZip, match=r"the zip unpacks to 3.0 MB, more than the 2.0 MB"):
        open_zip(io.BytesIO(deflated(members)), SMALL)


def test_it_refuses_an_unbelievable_compression_ratio() -> None:
    limits = ZipLimits(max_members=10, max_member_bytes=8 * MIB, max_total_bytes=8 * MIB,
                       max_ratio=100, ratio_floor_bytes=MIB)
    with pytest.raises(UnsafeZip, match="more than 100 times its size"):
        open_zip(io.BytesIO(deflated({"zeros.bin": 4 * MIB})), limits)


def test_a_small_file_that_compresses_well_is_not_a_bomb() -> None:
    with open_zip(io.BytesIO(deflated({"zeros.bin": MIB // 2})), SMALL) as archive:
        assert len(read_member(archive, "zeros.bin", SMALL)) == MIB // 2


def test_it_does_not_trust_a_declared_size_that_lies() -> None:
    data = lying("small.json", 4 * MIB, declared=100)
    with open_zip(io.BytesIO(data), SMALL) as archive:  # the declared size passes
        assert archive.getinfo("small.json").file_size == 100
        # What is read stops at the declared size, then the checksum refuses it.
        with pytest.raises((UnsafeZip, zipfile.BadZipFile)):
            read_member(archive, "small.json", SMALL)
        with pytest.raises((UnsafeZip, zipfile.BadZipFile)):
            check_unpacked(archive, SMALL)


def test_reading_stops_at_the_cap_while_streaming() -> None:
    data = deflated({"a.bin": 2 * MIB})
    with (zipfile.ZipFile(io.BytesIO(data)) as archive,  # not checked first
          pytest.raises(UnsafeZip, match=r"a.bin unpacks to more than the 1.0 MB allowed")):
        read_member(archive, "a.bin", SMALL)


def test_it_reads_only_stored_and_deflated_members() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("a.json", b"{}")
    with pytest.raises(UnsafeZip, match="only stored and deflated"):
        open_zip(buffer, SMALL)


def test_a_workbook_is_checked_unpacked_before_openpyxl_sees_it() -> None:
    data = deflated({"xl/sharedStrings.xml": 3 * MIB})
    limits = ZipLimits(max_members=10, max_member_bytes=2 * MIB, max_total_bytes=4 * MIB)
    with pytest.raises(UnsafeZip), checked_workbook(io.BytesIO(data), limits):
        pytest.fail("the workbook was handed on")


def test_a_file_that_is_not_a_zip_is_a_bad_zip() -> None:
    with pytest.raises(zipfile.BadZipFile):
        open_zip(io.BytesIO(b"not a zip at all"), SMALL)
