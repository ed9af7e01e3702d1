"""The demo's walk through verification and certification: one demo study, with meter
readings and gas invoices as cross-check data, goes from submission through the finding the
cross-check raises and its correction to a signed, graded label, by the same
actions the pages use (so the ledger records every step)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from yuntan.checks import read_meter_csv
from yuntan.labels import rotate_key
from yuntan.platform.checkdata.services import add_bill, store_readings
from yuntan.platform.labels import actions as label_actions
from yuntan.platform.labels.models import Label
from yuntan.platform.ledger.keys import passphrase
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.crosschecks import check_key
from yuntan.units import conversion_factor

ENTERPRISE, VERIFIER, CERTIFIER = "demo-al-admin", "demo-verifier", "demo-certifier"
FIELD = "casting_natural_gas"  # billed 8 % below the report: the seeded discrepancy
METERED = "electricity_grid"
SITE = "http://127.0.0.1:8000/"


def seed_check_data(study: Study, enterprise: Any) -> tuple[float, str]:
    """Illustrative cross-check data: monthly readings of the grid-electricity meter that
    match the report, and two gas invoices 8 % below the reported casting gas (the seeded
    discrepancy the verifier finds). Returns the billed gas quantity."""
    amount, unit = study.activity.get(field_id=METERED).amount, \
        study.activity.get(field_id=METERED).unit
    kwh = amount * conversion_factor(unit, "kWh")
    lines = ["时间,表号,用量,单位"]
    for month in range(1, 13):
        end = date(study.period_end.year + month // 12, month % 12 + 1, 1)
        lines.append(f"{end.isoformat()} 00:00,DEMO-GATE-1,{kwh / 12:.3f},kWh")
    raw = ("\n".join(lines) + "\n").encode()
    store_readings(study.product, METERED, read_meter_csv(raw.decode()), source="upload",
                   raw=raw, file_name="示例关口表数据-demo-meter.csv", user=enterprise)
    gas = study.activity.get(field_id=FIELD)
    billed = round(gas.amount * 0.92, 6)
    year = study.period_end.year
    for number, (start, end) in enumerate(((date(year, 1, 1), date(year, 6, 30)),
                                           (date(year, 7, 1), date(year, 12, 31))), start=1):
        add_bill(study, enterprise, field_id=FIELD, supplier="示例燃气公司 / demo gas utility",
                 number=f"DEMO-GAS-{year}-{number}", period_start=start, period_end=end,
                 quantity=billed / 2, unit=gas.unit)
    return billed, gas.unit


@transaction.atomic
def verify_and_label(study: Study) -> Label | None:
    """Walk ``study`` through verification to a label; nothing when it already has one or
    its people are not in the demo."""
    if Label.objects.filter(verification__study=study).exists():
        return None
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=(ENTERPRISE, VERIFIER, CERTIFIER))}
    if len(users) < 3 or study.verifications.exists():
        return None
    enterprise, verifier, certifier = users[ENTERPRISE], users[VERIFIER], users[CERTIFIER]
    folder = label_actions.keys_dir()
    if not (folder / "current").exists():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        rotate_key(folder, passphrase())
    billed = seed_check_data(study, enterprise)
    verification = actions.submit(study, enterprise)
    actions.assign(verification, verifier, certifier)
    actions.start_review(verification, verifier)
    finding = actions.raise_finding(
        verification, verifier, field_id=FIELD, severity="medium",
        text="铸造天然气用量与燃气发票合计不一致（交叉校验 invoice-deviation）。/ Casting gas does "
             "not match the gas invoices (cross-check invoice-deviation).",
        reason="两张燃气发票合计比申报少 8%（示例）。/ The two gas invoices add up to 8% less "
               "than reported (illustrative).")
    actions.request_changes(verification, verifier)
    actions.answer_finding(finding, enterprise,
                           "已按燃气发票更正。/ Corrected to the gas invoices.")
    set_activity(study, {FIELD: billed}, enterprise, "verification correction")
    compute_result(study, enterprise, "corrected after verification finding")
    actions.submit(study, enterprise)
    actions.close_finding(finding, verifier)
    snapshot = verification.latest_snapshot()
    assert snapshot is not None
    for found in snapshot.checks:
        if found["severity"] == "high":
            actions.respond_to_check(verification, verifier, check_key(found),
                                     "已核对原始记录（示例）。/ Checked against the records "
                                     "(illustrative).")
    actions.sign_off(verification, verifier,
                     "活动数据与佐证一致，核算符合核算规则（示例）。/ The activity data match the "
                     "evidence and the study follows the rule pack (illustrative).")
    return label_actions.issue(verification, certifier, SITE)
