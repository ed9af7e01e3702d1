"""The footprint report of a stored result, from the database rows to the pure report
builder (HTML, PDF, Excel)."""

from __future__ import annotations

from yuntan.formats.reports import FactorRow, ReportData, report_data
from yuntan.identifiers import prefecture
from yuntan.platform.factors.models import FactorVersion, Status
from yuntan.platform.studies.models import Result
from yuntan.platform.studies.services import is_stale
from yuntan.rules import get_pack


def result_report_data(result: Result) -> ReportData:
    study = result.study
    product = study.product
    organisation = product.organisation
    inputs = result.inputs
    pack = get_pack(inputs["pack"]["id"], inputs["pack"]["version"])
    versions = {
        (v.dataset.code, v.version): v
        for v in FactorVersion.objects.select_related("dataset").filter(
            dataset__code__in=list(inputs["factors"]))
    }
    rows = []
    for code, factor in sorted(inputs["factors"].items()):
        found = versions.get((code, factor["version"]))
        rows.append(FactorRow(
            code=code, version=factor["version"], name_zh=factor["name_zh"],
            name_en=factor["name_en"], unit=factor["unit"],
            source_publisher=found.source_publisher if found else "",
            source_document=found.source_document if found else "",
            source_year=str(found.source_year or "") if found else "",
            placeholder=bool(factor["placeholder"]) or (
                found is not None and found.status == Status.PLACEHOLDER),
            source_url=found.source_link if found else "",
        ))
    place = prefecture(organisation.prefecture) if organisation.prefecture else None
    run = result.uncertainty_runs.first()
    return report_data(
        pack, outcome=result.outcome, inputs=inputs, factors=rows,
        study_name_zh=str(study), study_name_en=study.title or str(study),
        product_name_zh=product.name_zh, product_name_en=product.name_en or product.name_zh,
        organisation_name_zh=organisation.name_zh,
        organisation_name_en=organisation.name_en or organisation.name_zh,
        organisation_uscc=organisation.uscc or "",
        prefecture_zh=place.name_zh if place else "", prefecture_en=place.name_en if place else "",
        reference_period=f"{study.period_start:%Y-%m-%d} – {study.period_end:%Y-%m-%d}",
        result_number=str(result.number), computed_at=result.created_at.isoformat(),
        engine_version=result.engine_version, inputs_sha256=result.inputs_sha256,
        illustrative=study.illustrative, stale=is_stale(result), proposed=result.proposed,
        monte_carlo_samples=tuple(run.samples) if run else (),
        monte_carlo_seed=run.seed if run else None,
    )
