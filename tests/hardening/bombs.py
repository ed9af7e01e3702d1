"""Hostile files for the hardening tests, built in memory: zips that unpack to far more than
they weigh, and zips whose central directory lies about sizes."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Repeat:
    """``head``, then ``unit`` repeated ``count`` times, then ``tail``: valid XML or JSON
    of any size, written without holding it in memory."""

    head: bytes
    unit: bytes
    count: int
    tail: bytes

    @property
    def size(self) -> int:
        return len(self.head) + len(self.unit) * self.count + len(self.tail)


Content = int | bytes | Repeat


def deflated(members: dict[str, Content]) -> bytes:
    """A zip of ``name → bytes, a size of zeros or a Repeat``, deflated at the highest
    level: a member of 100 MB of zeros weighs about 100 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            if isinstance(content, int):
                content = Repeat(b"", b"\0", content, b"")
            with archive.open(name, "w", force_zip64=content.size > 2**31) as handle:
                handle.write(content.head)
                per_block = max(1, MIB // len(content.unit))
                block = content.unit * per_block
                left = content.count
                while left > 0:
                    handle.write(block if left >= per_block else content.unit * left)
                    left -= per_block
                handle.write(content.tail)
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


def xlsx_with(path: str | os.PathLike[str], extra: dict[str, Content]) -> bytes:
    """The workbook at ``path`` with members replaced or added (e.g. a shared-strings part
    of 100 MB)."""
    with zipfile.ZipFile(path) as source:
        members: dict[str, Content] = {i.filename: source.read(i) for i in source.infolist()}
    members.update(extra)
    types = members["[Content_Types].xml"]
    if "xl/sharedStrings.xml" in extra and isinstance(types, bytes) and \
            b"/xl/sharedStrings.xml" not in types:
        # openpyxl writes inline strings; declare the part so that readers load it.
        members["[Content_Types].xml"] = types.replace(b"</Types>", SHARED_STRINGS_TYPE
                                                       + b"</Types>")
    return deflated(members)


SHARED_STRINGS_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                       b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
