"""Uploaded files kept once per content, under their SHA-256 (evidence, factor files,
background database packages): streamed to a temporary file, checked against a size limit,
then moved into place. A refused or failed upload leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from yuntan.errors import YuntanLcaError

HEAD_BYTES = 16  # kept to check what kind of file it is


class UploadTooLarge(YuntanLcaError):
    """An upload above its size limit."""


@dataclass(frozen=True)
class StoredFile:
    path: Path
    sha256: str
    size: int
    head: bytes  # the first bytes, for a type check


def store_by_hash(chunks: Iterable[bytes], folder: Path, limit_mb: int,
                  name_for: Callable[[str], Path], name: str = "",
                  check: Callable[[bytes, Path], None] | None = None) -> StoredFile:
    """Write ``chunks`` to ``name_for(sha256)`` (a path under ``folder``) unless a file with
    that content is already there. ``check(head, temporary_path)`` may refuse the file."""
    limit = limit_mb * 1024 * 1024
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                if len(head) < HEAD_BYTES:
                    head += chunk[:HEAD_BYTES - len(head)]
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(_("%(name)s is larger than %(limit)s MB.")
                                         % {"name": name or _("The file"), "limit": limit_mb})
                digest.update(chunk)
                out.write(chunk)
        if check is not None:
            check(head, Path(temporary))
        sha256 = digest.hexdigest()
        final = name_for(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)  # the same content under the same name: nothing changes
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(final, sha256, size, head)
