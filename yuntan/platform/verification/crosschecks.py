"""The multi-source cross-checks of a study (yuntan.checks), run with what the platform
knows: the data, the result, the product's meter readings, the study's bills and green
electricity documents (yuntan.platform.checkdata), the enterprise's previous verified study
and the verified studies of the same product on the platform (as peers, never shown)."""

from __future__ import annotations

from typing import Any

from yuntan.checks import CheckInputs, run_all
from yuntan.platform.checkdata.services import CheckData, check_data, days_period
from yuntan.platform.studies.models import Result, Study, StudyStatus
from yuntan.platform.studies.services import activity_data, pack_of

FOOTPRINT = "footprint"


def study_checks(study: Study, result: Result | None,
                 data: CheckData | None = None) -> list[dict[str, Any]]:
    """Every cross-check finding for the study's current data, as stored JSON (``data``:
    the study's cross-check data when the caller has read it already)."""
    pack = pack_of(study)
    verified = Study.objects.filter(
        status=StudyStatus.VERIFIED, rule_pack_id=study.rule_pack_id, variant=study.variant,
        scenario_of__isnull=True).exclude(pk=study.pk)
    own = [s for s in verified.filter(product__organisation_id=study.product.organisation_id,
                                      period_end__lt=study.period_start)
           .order_by("-period_end") if s.latest_result() is not None]
    peers = [r.total_kg_co2e for s in verified.exclude(
        product__organisation_id=study.product.organisation_id)
        .filter(period_end__year=study.period_end.year)
        for r in [s.latest_result()] if r is not None]
    previous = own[0].latest_result() if own else None
    period = days_period(study.period_start, study.period_end)
    data = data or check_data(study, period)
    inputs = CheckInputs(
        period=period, variant=study.variant or None,
        meter_readings=data.meter_readings, bills=data.bills,
        green_claims=data.green_claims, green_evidence=data.green_evidence,
        footprint_kg_co2e_per_declared_unit=result.total_kg_co2e if result else None,
        previous={FOOTPRINT: previous.total_kg_co2e} if previous is not None else {},
        peers={FOOTPRINT: peers} if peers else {},
    )
    return [finding.to_dict() for finding in run_all(pack, activity_data(study), inputs)]


def check_key(finding: dict[str, Any]) -> str:
    """A stable key of a finding, for the verifier's response to it."""
    return f"{finding['check']}:{finding['rule']}:{','.join(finding.get('fields', []))}"
