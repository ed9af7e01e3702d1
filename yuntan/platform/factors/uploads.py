"""Factor files uploaded by curators: kept under ``DATA_DIR/uploads/<sha256>`` and imported
by a background job, all in one transaction, as drafts of the uploader.

A bad file fails the job with every problem (file, line or row, record, field) kept on the
job, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from yuntan.errors import YuntanLcaError
from yuntan.formats.factor_csv import FactorFileError, FactorFileProblem
from yuntan.platform.factors.actions import load_factor_rows
from yuntan.platform.factors.exchange import READERS
from yuntan.platform.jobs.runner import JobContext, job_function
from yuntan.platform.storage import UploadTooLarge, store_by_hash

# The job's progress in percent: reading and checking the file, then storing it.
READ_SHARE = 50
RESULT_ROWS = 1000  # versions listed on the job page


FactorUploadTooLarge = UploadTooLarge  # an upload above ``YUNTAN_UPLOAD_MAX_MB``


class FactorImportRefused(YuntanLcaError):
    """A factor file with problems: nothing was stored; ``problems`` lists every one."""

    def __init__(self, message: str, problems: Sequence[FactorFileProblem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def keep_upload(upload: UploadedFile[Any]) -> Path:
    """Store an uploaded file as ``uploads/<sha256>`` (once per content)."""
    folder = uploads_dir()
    return store_by_hash(upload.chunks(), folder, settings.YUNTAN_UPLOAD_MAX_MB,
                         lambda sha: folder / sha).path


def _outcome(present: bool, placeholder: bool) -> str:
    if present:
        return _("already present, left unchanged")
    return _("added as a placeholder") if placeholder else _("added as a draft")


def discard_uploads(paths: list[str], **_params: Any) -> None:
    """After a failed import: remove the uploaded files no unfinished import still needs."""
    from yuntan.platform.jobs.models import Job, JobStatus

    waiting = Job.objects.filter(function=f"{__name__}.import_factor_upload",
                                 status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    needed = {p for job in waiting for p in job.params.get("paths", [])}
    for path in paths:
        if path not in needed:
            Path(path).unlink(missing_ok=True)


@job_function(cleanup=discard_uploads)
def import_factor_upload(ctx: JobContext, kind: str, paths: list[str], names: list[str],
                         user_id: int) -> dict[str, Any]:
    """Read and check the uploaded file(s) of ``kind`` (a key of ``READERS``), then store the
    new versions as drafts created by ``user_id``."""
    ctx.progress(0, 100, _("reading %(name)s") % {"name": ", ".join(names)})

    def reading(done: int, total: int, message: str) -> None:
        ctx.progress(READ_SHARE * done // max(total, 1), 100, message)

    def storing(done: int, total: int, message: str) -> None:
        # Written inside the import's transaction: other pages see it when that commits.
        ctx.progress(READ_SHARE + (100 - READ_SHARE) * done // max(total, 1), 100, message)

    uploader = get_user_model().objects.get(pk=user_id)
    try:
        rows = READERS[kind]([Path(p) for p in paths], names, reading)
        loaded = load_factor_rows(rows, created_by=uploader, progress=storing)
    except FactorFileError as exc:
        raise FactorImportRefused(
            _("Problems found in the file: %(count)s. Nothing was imported; correct the file "
              "and upload it again.") % {"count": len(exc.problems)},
            exc.problems) from exc
    placeholders = {row.record for row in rows if row.placeholder}
    present = set(loaded.present)
    records = [*loaded.added, *loaded.present]
    return {
        "summary": _("%(added)s versions added (drafts for review; placeholders stay "
                     "placeholders), %(present)s already present and left unchanged.")
        % {"added": len(loaded.added), "present": len(loaded.present)},
        "table": {"columns": [_("factor version"), _("result")],
                  "rows": [[record, _outcome(record in present, record in placeholders)]
                           for record in records[:RESULT_ROWS]]},
        "url": reverse("factors:list") + "?status=draft",
    }
