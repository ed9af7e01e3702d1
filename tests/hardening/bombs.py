"""Hostile files for the hardening tests, built in memory: zips that unpack to far more than
they weigh, and zips whose central directory lies about sizes."""

from __future__ import annotations

import io
import struct
import zipfile

MIB = 1024 * 1024


def deflated(members: dict[str, int | bytes]) -> bytes:
    """A zip of ``name → size of zeros (or bytes)``, deflated at the highest level: a member
    of 100 MB of zeros weighs about 100 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=content > 2**31) as handle:
                block = b"\0" * MIB
                left = content
                while left > 0:
                    handle.write(block[:left])
                    left -= len(block)
    return buffer.getvalue()


def lying(name: str, size: int, declared: int) -> bytes:
    """A zip whose one member unpacks to ``size`` bytes but whose headers declare
    ``declared`` (the declared size cannot be trusted alone)."""
    data = bytearray(deflated({name: size}))
    real = struct.pack("<I", size)
    fake = struct.pack("<I", declared)
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    # Uncompressed size: offset 22 in the local header, 24 in the central directory entry.
    assert data[local + 22:local + 26] == real and data[central + 24:central + 28] == real
    data[local + 22:local + 26] = fake
    data[central + 24:central + 28] = fake
    return bytes(data)


def many_members(count: int) -> bytes:
    """A zip of ``count`` empty files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"f/{index}.json", b"")
    return buffer.getvalue()


def xlsx_with(path: str, extra: dict[str, int | bytes]) -> bytes:
    """The workbook at ``path`` with members replaced or added (e.g. a shared-strings part
    of 100 MB)."""
    with zipfile.ZipFile(path) as source:
        members: dict[str, int | bytes] = {i.filename: source.read(i) for i in source.infolist()}
    members.update(extra)
    return deflated(members)
