"""Evidence files: checked for size and type, stored once per content under their SHA-256
in ``$YUNTAN_DATA_DIR/evidence``, served only through the access helper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from yuntan.platform.storage import UploadTooLarge, store_by_hash
from yuntan.platform.studies.models import Evidence, Study
from yuntan.platform.studies.services import StudyError, pack_of, require_editable

# Extension → (content type, the bytes such a file starts with; None: text, checked as UTF-8)
ACCEPTED: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              b"PK\x03\x04"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              b"PK\x03\x04"),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


def evidence_path(sha256: str) -> Path:
    return Path(settings.EVIDENCE_DIR) / sha256[:2] / sha256


def store_evidence(study: Study, field_id: str, upload: UploadedFile[Any],
                   user: Any) -> Evidence:
    """Check and keep one uploaded file for ``field_id`` of ``study``."""
    name = Path(upload.name or "file").name
    suffix = Path(name).suffix.lower()
    limit = settings.YUNTAN_EVIDENCE_MAX_MB * 1024 * 1024
    require_editable(study)
    if field_id not in {f.id for f in pack_of(study).fields}:
        raise StudyError(_("%(field)s is not a field of this rule pack.") % {"field": field_id})
    if suffix not in ACCEPTED:
        raise StudyError(_("%(name)s: files of this type are not accepted; use one of "
                           "%(types)s.") % {"name": name, "types": ", ".join(sorted(ACCEPTED))})
    if upload.size is not None and upload.size > limit:
        raise StudyError(_("%(name)s is larger than %(limit)s MB.")
                         % {"name": name, "limit": settings.YUNTAN_EVIDENCE_MAX_MB})
    content_type, magic = ACCEPTED[suffix]
    try:
        stored = store_by_hash(upload.chunks(), Path(settings.EVIDENCE_DIR),
                               settings.YUNTAN_EVIDENCE_MAX_MB, evidence_path, name=name,
                               check=lambda head, path: _check_content(name, head, magic, path))
    except UploadTooLarge as exc:
        raise StudyError(str(exc)) from exc
    return Evidence.objects.create(study=study, field_id=field_id, original_name=name[:255],
                                   content_type=content_type, size=stored.size,
                                   sha256=stored.sha256, uploaded_by=user)


def _check_content(name: str, head: bytes, magic: bytes | None, path: Path) -> None:
    if magic is not None:
        if not head.startswith(magic):
            raise StudyError(_("%(name)s does not look like the file type its name says.")
                             % {"name": name})
        return
    try:
        Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise StudyError(_("%(name)s is not a UTF-8 text file.") % {"name": name}) from None
