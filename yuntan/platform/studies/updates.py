"""When a corrected factor version is published: the studies that used the version it
supersedes, and their recomputation as a background job that reports each footprint's
change. A draft study moves to the new version; a study that is with the verifiers or
verified keeps its result (and its label): the recomputation is stored beside it and
``factor_update_proposed`` is sent so that the certification body decides."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils.translation import gettext as _

from yuntan.platform.factors.models import FactorVersion, Status
from yuntan.platform.jobs.runner import JobContext, job_function
from yuntan.platform.studies.models import FactorPin, Study
from yuntan.platform.studies.services import StudyError, compute_result

# Sent (in the job's transaction) when a study that is with the verifiers or verified got a
# recomputation beside its result: study, before (its result), after (the proposed result or
# None), version (the new factor version), error.
factor_update_proposed = Signal()


def studies_using(version: FactorVersion) -> QuerySet[Study]:
    """Studies whose pinned version of the dataset is ``version``."""
    return Study.objects.filter(pins__version=version).select_related(
        "product__organisation").order_by("product__organisation__name_zh", "pk")


def affected_by(new_version: FactorVersion) -> QuerySet[Study]:
    """Studies still pinned to the version ``new_version`` supersedes."""
    if new_version.supersedes_id is None:
        return Study.objects.none()
    return studies_using(new_version.supersedes)  # type: ignore[arg-type]


# Resumable: a run after a crash picks up what is left.
@job_function(resumable=True)
def recompute_after_publication(ctx: JobContext, version_id: int) -> dict[str, Any]:
    """Move every study pinned to the superseded version onto ``version_id`` and compute a
    new result; report each footprint before and after. A study that cannot be computed
    (incomplete data) is reported, not skipped silently."""
    new = FactorVersion.objects.select_related("dataset", "supersedes").get(pk=version_id)
    if new.status != Status.PUBLISHED or new.supersedes is None:
        raise StudyError(_("%(version)s is not a published correction of another version.")
                         % {"version": new})
    studies = list(affected_by(new))
    label = f"{new.dataset.code} {new.supersedes.version} → {new.version}"
    ctx.progress(0, len(studies), label)
    rows: list[dict[str, Any]] = []
    reason = _("factor update: %(label)s") % {"label": label}
    for done, study in enumerate(studies, 1):
        before = study.latest_result()
        if not study.editable:
            rows.append(_propose(study, before, new, reason))
            ctx.progress(done, len(studies), label)
            continue
        with transaction.atomic():
            FactorPin.objects.filter(study=study, version=new.supersedes).update(version=new)
            try:
                result = compute_result(study, None, reason)
            except StudyError as exc:
                rows.append({"study": study.pk, "name": str(study),
                             "organisation": study.product.organisation.name_zh,
                             "before": before.total_kg_co2e if before else None,
                             "after": None, "error": str(exc)})
            else:
                rows.append({"study": study.pk, "name": str(study),
                             "organisation": study.product.organisation.name_zh,
                             "before": before.total_kg_co2e if before else None,
                             "after": result.total_kg_co2e, "result": result.number})
        ctx.progress(done, len(studies), label)
    recomputed = sum(1 for r in rows if r.get("after") is not None and not r.get("proposed"))
    table = {
        "columns": [_("organisation"), _("study"), _("before (kg CO2e)"),
                    _("after (kg CO2e)"), _("change (kg CO2e)"), _("note")],
        "rows": [[r["organisation"], r["name"], _fmt(r["before"]), _fmt(r["after"]),
                  _fmt(r["after"] - r["before"]) if r["after"] is not None
                  and r["before"] is not None else "",
                  r.get("error", "") or (_("beside the verified result; the certification "
                                           "body decides") if r.get("proposed") else "")]
                 for r in rows],
    }
    return {
        "version": version_id, "label": label, "studies": rows, "table": table,
        "summary": _("%(count)s studies recomputed with %(label)s.")
        % {"count": recomputed, "label": label},
    }


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:,.4g}"


def _propose(study: Study, before: Any, new: FactorVersion, reason: str) -> dict[str, Any]:
    """A study with the verifiers or verified: its pins and result stay; the recomputation
    with ``new`` is stored beside them (once per version) and the decision is handed on."""
    row: dict[str, Any] = {"study": study.pk, "name": str(study),
                           "organisation": study.product.organisation.name_zh,
                           "before": before.total_kg_co2e if before else None,
                           "after": None, "proposed": True}
    existing = study.results.filter(proposed=True, reason=reason[:200]).first()
    if existing is not None:  # the job ran again: nothing new
        return {**row, "after": existing.total_kg_co2e, "result": existing.number}
    with transaction.atomic():
        try:
            result = compute_result(study, None, reason, replace={new.dataset.code: new},
                                    proposed=True)
        except StudyError as exc:
            if before is not None:
                factor_update_proposed.send(Study, study=study, before=before, after=None,
                                            version=new, error=str(exc))
            return {**row, "error": str(exc)}
        if before is not None:
            factor_update_proposed.send(Study, study=study, before=before, after=result,
                                        version=new)
    return {**row, "after": result.total_kg_co2e, "result": result.number}
