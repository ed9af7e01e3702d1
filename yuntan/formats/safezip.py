"""Open zip files that users upload without letting them unpack without bound (zip bombs).

Every reader of an uploaded zip (xlsx workbooks, JSON-LD packages, factor CSV zips) goes
through here. An archive is refused before anything is unpacked when its central directory
declares too many members, a member or the whole archive too large, or an unpacked/packed
ratio no real file has; members are then read as a stream that stops at the cap, so a
member that unpacks to more than it declared is refused too (the declared size is not
trusted alone). Only stored and deflated members are read: bzip2 and LZMA decompress a
whole block at once, before any cap can stop them.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TypeVar

Workbook = TypeVar("Workbook", bound=str | os.PathLike[str] | IO[bytes])
MIB = 1024 * 1024
_CHUNK = 256 * 1024
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


class UnsafeZip(ValueError):
    """The zip file would unpack beyond the limits (a zip bomb, or simply too large)."""


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on what a zip may unpack to."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    # Unpacked size over packed size of the whole archive, checked once the archive unpacks
    # to more than ``ratio_floor_bytes`` (small files of blank cells compress very well).
    max_ratio: int = 200
    ratio_floor_bytes: int = 16 * MIB


# An xlsx workbook: a few dozen XML parts. Templates unpack to well under 1 MB; a factor
# workbook of 10,000 datasets to about 20 MB.
XLSX_LIMITS = ZipLimits(max_members=1_000, max_member_bytes=64 * MIB,
                        max_total_bytes=128 * MIB)
# An openLCA JSON-LD package: one small JSON file per process, flow, unit group...
# (ecoinvent: about 40,000 files, 1-2 GB unpacked).
JSONLD_LIMITS = ZipLimits(max_members=400_000, max_member_bytes=64 * MIB,
                          max_total_bytes=4096 * MIB)
# The factor CSV pair (each file as large as an upload may be).
CSV_ZIP_LIMITS = ZipLimits(max_members=1_000, max_member_bytes=512 * MIB,
                           max_total_bytes=1024 * MIB)


def _size(value: int) -> str:
    return f"{value / MIB:.1f} MB" if value >= MIB else f"{value} bytes"


def _declared_members(handle: IO[bytes]) -> int | None:
    """The member count the end record declares, read before ``ZipFile`` builds one object
    per member (a file of 500 MB can declare ten million)."""
    end_record = getattr(zipfile, "_EndRecData", None)  # CPython's reader of that record
    if end_record is None:
        return None
    position = handle.tell()
    try:
        found = end_record(handle)
    finally:
        handle.seek(position)
    return int(found[4]) if found else None


def check_archive(archive: zipfile.ZipFile, limits: ZipLimits,
                  packed_bytes: int | None = None) -> None:
    """Refuse ``archive`` if what its central directory declares is over ``limits``."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnsafeZip(f"the zip holds {len(members)} files, more than the "
                        f"{limits.max_members} allowed.")
    total = 0
    for info in members:
        if info.compress_type not in _METHODS and not info.is_dir():
            raise UnsafeZip(f"{info.filename} is compressed with method {info.compress_type}; "
                            "only stored and deflated files are read (save the zip again).")
        if info.file_size > limits.max_member_bytes:
            raise UnsafeZip(f"{info.filename} unpacks to {_size(info.file_size)}, more than "
                            f"the {_size(limits.max_member_bytes)} allowed per file.")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise UnsafeZip(f"the zip unpacks to {_size(total)}, more than the "
                        f"{_size(limits.max_total_bytes)} allowed.")
    if packed_bytes is None:
        packed_bytes = sum(info.compress_size for info in members)
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(packed_bytes, 1):
        raise UnsafeZip(f"the zip unpacks to {_size(total)} from {_size(packed_bytes)}, "
                        f"more than {limits.max_ratio} times its size: not a file this "
                        "platform reads (a zip bomb?).")


def open_zip(source: str | os.PathLike[str] | IO[bytes], limits: ZipLimits) -> zipfile.ZipFile:
    """Open and check a zip; raises :class:`UnsafeZip`, or ``zipfile.BadZipFile`` /
    ``OSError`` when it is not a zip at all."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            packed = _check_end_record(handle, limits)
        archive = zipfile.ZipFile(source)
    else:
        packed = _check_end_record(source, limits)
        archive = zipfile.ZipFile(source)
    try:
        check_archive(archive, limits, packed)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_end_record(handle: IO[bytes], limits: ZipLimits) -> int:
    """The file's size, once its end record is known to declare few enough members."""
    handle.seek(0, io.SEEK_END)
    packed = handle.tell()
    handle.seek(0)
    declared = _declared_members(handle)
    if declared is not None and declared > limits.max_members:
        raise UnsafeZip(f"the zip holds {declared} files, more than the "
                        f"{limits.max_members} allowed.")
    return packed


class _Budget:
    """What is left of the archive's unpacked-bytes allowance."""

    def __init__(self, limits: ZipLimits) -> None:
        self.limits = limits
        self.left = limits.max_total_bytes


def read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, limits: ZipLimits,
                budget: _Budget | None = None) -> bytes:
    """The unpacked bytes of ``member``, refused as soon as they pass the per-file cap (or
    what is left of the archive's total)."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    cap = limits.max_member_bytes if budget is None else min(limits.max_member_bytes,
                                                             budget.left)
    parts: list[bytes] = []
    read = 0
    for chunk in _stream(archive, info):
        read += len(chunk)
        if read > cap:
            raise UnsafeZip(f"{info.filename} unpacks to more than the {_size(cap)} allowed.")
        parts.append(chunk)
    if budget is not None:
        budget.left -= read
    return b"".join(parts)


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    if info.compress_type not in _METHODS:
        raise UnsafeZip(f"{info.filename} is compressed with method {info.compress_type}; "
                        "only stored and deflated files are read.")
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def check_unpacked(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Unpack every member as a stream (keeping nothing) and refuse the archive when the
    actual sizes pass the limits: for readers such as openpyxl that open members
    themselves."""
    left = limits.max_total_bytes
    for info in archive.infolist():
        if info.is_dir():
            continue
        read = 0
        for chunk in _stream(archive, info):
            read += len(chunk)
            if read > limits.max_member_bytes or read > left:
                raise UnsafeZip(f"{info.filename} unpacks to more than it may "
                                f"({_size(min(limits.max_member_bytes, left))}).")
        left -= read


class Reader:
    """Read members of a checked archive within one total budget."""

    def __init__(self, archive: zipfile.ZipFile, limits: ZipLimits) -> None:
        self.archive = archive
        self.limits = limits
        self._budget = _Budget(limits)

    def read(self, member: str | zipfile.ZipInfo) -> bytes:
        return read_member(self.archive, member, self.limits, self._budget)


def checked_workbook(source: Workbook, limits: ZipLimits = XLSX_LIMITS) -> Workbook:
    """``source``, an xlsx file, once checked as a zip (declared and actual sizes), rewound
    for openpyxl (which opens the members itself)."""
    with open_zip(source, limits) as archive:
        check_unpacked(archive, limits)
    if not isinstance(source, str | os.PathLike):
        source.seek(0)
    return source
