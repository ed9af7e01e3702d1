"""Access to the files of a JSON-LD package: a zip file (path, open ``ZipFile`` or binary
stream) or an unpacked directory. Files are grouped by the folder that holds them
(``processes/x.json`` → ``processes``), so a zip of a folder (``export/processes/x.json``)
reads the same as openLCA's own export."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from yuntan.formats.safezip import JSONLD_LIMITS, Reader, UnsafeZip, check_archive, open_zip

MARKER_FILES = ("openlca.json", "olca-schema.json")

Source = str | os.PathLike[str] | zipfile.ZipFile | IO[bytes]


class PackageUnreadable(Exception):
    """The source is not a zip file or directory (internal; becomes a package problem)."""


@dataclass
class Package:
    """The JSON files of a package by folder, plus the version markers."""

    name: str
    folders: dict[str, list[str]] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)  # marker file name → path
    _zip: Reader | None = None
    _root: Path | None = None

    def read(self, path: str) -> bytes:
        if self._zip is not None:
            try:
                return self._zip.read(path)
            except UnsafeZip as exc:  # the whole package is refused, not one file
                raise PackageUnreadable(str(exc)) from exc
        assert self._root is not None
        return (self._root / path).read_bytes()

    def add(self, path: str) -> None:
        parts = path.replace("\\", "/").split("/")
        filename = parts[-1]
        if filename in MARKER_FILES:
            current = self.markers.get(filename)
            # The marker nearest the root wins (a zip of a folder has it one level down).
            if current is None or current.count("/") > path.count("/"):
                self.markers[filename] = path
            return
        if len(parts) < 2 or not filename.endswith(".json") or "bin" in parts[:-1]:
            return
        self.folders.setdefault(parts[-2], []).append(path)


def source_name(source: Source) -> str:
    if isinstance(source, zipfile.ZipFile):
        return str(source.filename or "<zip>")
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


@contextmanager
def open_package(source: Source) -> Iterator[Package]:
    """The package at ``source``; raises :class:`PackageUnreadable` with the reason."""
    name = source_name(source)
    if isinstance(source, zipfile.ZipFile):
        try:
            check_archive(source, JSONLD_LIMITS)
        except UnsafeZip as exc:
            raise PackageUnreadable(str(exc)) from exc
        yield _from_zip(name, source)
        return
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            package = Package(name, _root=path)
            for file in sorted(path.rglob("*.json")):
                if file.is_file():
                    package.add(file.relative_to(path).as_posix())
            yield package
            return
        if not path.exists():
            raise PackageUnreadable("the file does not exist")
    try:
        archive = open_zip(source, JSONLD_LIMITS)
    except UnsafeZip as exc:
        raise PackageUnreadable(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageUnreadable(f"not a zip file or directory ({exc})") from exc
    with archive:
        yield _from_zip(name, archive)


def _from_zip(name: str, archive: zipfile.ZipFile) -> Package:
    package = Package(name, _zip=Reader(archive, JSONLD_LIMITS))
    for info in archive.infolist():
        if not info.is_dir():
            package.add(info.filename)
    for paths in package.folders.values():
        paths.sort()
    return package
