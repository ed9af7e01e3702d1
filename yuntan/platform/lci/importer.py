"""Import an openLCA JSON-LD package as a background job: read and check it completely
(every problem named by record and field), compute each process's footprint per unit, then
store the database in one transaction. A bad file changes nothing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yuntan.errors import YuntanLcaError
from yuntan.formats.jsonld import JsonLdImport, JsonLdMatrices, read_jsonld, to_matrix_system
from yuntan.lca import PreparedSystem, all_scores, prepare
from yuntan.platform.jobs.runner import JobContext, job_function
from yuntan.platform.lci.models import LciDatabase, LciImpactCategory, LciProcess
from yuntan.platform.storage import store_by_hash

UNLINKED_SHOWN = 200


def lci_dir() -> Path:
    return Path(settings.DATA_DIR) / "lci"


def package_path(sha256: str) -> Path:
    return lci_dir() / f"{sha256}.zip"


def keep_upload(upload: UploadedFile[Any]) -> tuple[Path, str, int]:
    """Store an uploaded package under its SHA-256 (once per content)."""
    stored = store_by_hash(upload.chunks(), lci_dir(), settings.YUNTAN_UPLOAD_MAX_MB,
                           package_path, name=upload.name or "")
    return stored.path, stored.sha256, stored.size


def _linking(imported: JsonLdImport) -> dict[str, Any]:
    report = imported.linking
    unlinked = report.unlinked
    return {
        "counts": {str(status): count for status, count in report.counts.items()},
        "summary": report.summary(),
        "unlinked": [link.describe() for link in unlinked[:UNLINKED_SHOWN]],
        "unlinked_total": len(unlinked),
        "unallocated": list(report.unallocated),
    }


def _scores(imported: JsonLdImport) -> tuple[dict[str, float], list[str]]:
    """kg CO2e per unit of each process's reference product (Yuntan's default GWP set)."""
    try:
        matrices = to_matrix_system(imported)
        prepared = prepare(matrices.system)
        values = all_scores(prepared)
    except YuntanLcaError as exc:
        return {}, [_("Footprints per unit were not computed: %(error)s") % {"error": exc}]
    return ({tech.process: float(v) for tech, v in zip(matrices.tech_flows, values, strict=True)
             if tech.id == tech.process}, list(prepared.warnings))


def discard_package(path: str, sha256: str, **_params: Any) -> None:
    """After a failed import: remove the uploaded package, unless an imported database or
    another unfinished import uses the same content."""
    from yuntan.platform.jobs.models import Job, JobStatus

    if LciDatabase.objects.filter(sha256=sha256).exists():
        return
    waiting = Job.objects.filter(function=f"{__name__}.import_lci_database",
                                 status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    if any(job.params.get("path") == path for job in waiting):
        return
    Path(path).unlink(missing_ok=True)


@job_function(cleanup=discard_package)
def import_lci_database(ctx: JobContext, path: str, name: str, organisation_id: int | None,
                        file_name: str, sha256: str, size: int,
                        user_id: int | None = None) -> dict[str, Any]:
    def progress(done: int, total: int, message: str) -> None:
        ctx.progress(done, total + 1, message)

    imported = read_jsonld(Path(path), progress)
    scores, notes = _scores(imported)
    with transaction.atomic():
        database = LciDatabase.objects.create(
            name=name, organisation_id=organisation_id, file_name=file_name, sha256=sha256,
            size=size, package_version=imported.package_version,
            version_marker=imported.version_marker, converted_files=imported.converted_files,
            linking=_linking(imported), notes=[*imported.notes, *notes],
            imported_by_id=user_id,
        )
        rows = []
        for process in imported.processes.values():
            reference = process.exchanges[process.reference]
            flow = imported.flows[reference.flow]
            rows.append(LciProcess(
                database=database, uuid=process.id, name=process.name[:500],
                category=process.category[:500], location=process.location[:100],
                product=flow.name[:500], unit=flow.reference_unit[:32],
                amount=reference.reference_amount, kg_co2e_per_unit=scores.get(process.id),
            ))
        LciProcess.objects.bulk_create(rows, batch_size=2000)
        methods: dict[str, list[str]] = {}
        for method in imported.impact_methods.values():
            for category_id in method.categories:
                methods.setdefault(category_id, []).append(method.name)
        LciImpactCategory.objects.bulk_create([
            LciImpactCategory(database=database, uuid=c.id, name=c.name[:500],
                              methods="; ".join(methods.get(c.id, []))[:1000],
                              unit=c.reference_unit[:64], factor_count=len(c.factors))
            for c in imported.impact_categories.values()
        ])
    ctx.progress(ctx.job.total, ctx.job.total, _("stored"))
    return {
        "database": database.pk,
        "summary": _("%(processes)s processes, %(flows)s flows and %(categories)s impact "
                     "categories imported; %(linking)s")
        % {"processes": len(imported.processes), "flows": len(imported.flows),
           "categories": len(imported.impact_categories), "linking": imported.linking.summary()},
        "url": reverse("lci:database", args=[database.pk]),
    }


@lru_cache(maxsize=2)
def _loaded(sha256: str, category: str | None) -> tuple[JsonLdImport, JsonLdMatrices,
                                                          PreparedSystem]:
    imported = read_jsonld(package_path(sha256))
    matrices = to_matrix_system(imported, category=category)
    return imported, matrices, prepare(matrices.system)


def process_footprint(database: LciDatabase, process_uuid: str,
                      category: str | None = None) -> dict[str, Any]:
    """The footprint of one process's reference amount, with its biggest contributors."""
    from yuntan.lca import footprint

    _imported, matrices, prepared = _loaded(database.sha256, category)
    result = footprint(prepared, matrices.demand_of(process_uuid), tree_max_nodes=50)
    names = {tech.id: tech.process_name for tech in matrices.tech_flows}
    top = sorted(result.by_process.items(), key=lambda kv: -abs(kv[1]))[:15]
    return {
        "total": result.total, "unit": matrices.unit,
        "category": matrices.category.name if matrices.category else None,
        "by_process": [(names.get(k, k), v) for k, v in top],
        "by_gas": dict(result.by_gas), "cut_off": list(matrices.cut_off)[:50],
        "uncharacterised": list(matrices.uncharacterised)[:50],
    }
