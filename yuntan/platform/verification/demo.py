"""The demo's walk through verification and certification: one demo study goes from
submission through a finding and its correction to a signed, graded label, by the same
actions the pages use (so the ledger records every step)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from yuntan.labels import rotate_key
from yuntan.platform.labels import actions as label_actions
from yuntan.platform.labels.models import Label
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.crosschecks import check_key

ENTERPRISE, VERIFIER, CERTIFIER = "demo-al-admin", "demo-verifier", "demo-certifier"
FIELD = "casting_natural_gas"
SITE = "http://127.0.0.1:8000/"


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
        rotate_key(folder)
    verification = actions.submit(study, enterprise)
    actions.assign(verification, verifier, certifier)
    actions.start_review(verification, verifier)
    finding = actions.raise_finding(
        verification, verifier, field_id=FIELD, severity="medium",
        text="铸造天然气用量与燃气发票合计不一致。/ Casting gas does not match the gas invoices.",
        reason="发票合计比申报少 1%（示例）。/ The invoices add up to 1% less (illustrative).")
    actions.request_changes(verification, verifier)
    actions.answer_finding(finding, enterprise,
                           "已按燃气发票更正。/ Corrected to the gas invoices.")
    amount, unit = study.activity.get(field_id=FIELD).amount, \
        study.activity.get(field_id=FIELD).unit
    set_activity(study, {FIELD: (round(amount * 0.99, 6), unit)}, enterprise,
                 "verification correction")
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
