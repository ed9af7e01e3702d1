"""An insider with database access changes rows directly (raw SQL, bypassing every model
guard): `yuntan ledger verify` names each changed row, a label is not signed over a changed
result, and the public label page shows the status the ledger records. Rewriting the ledger
itself (an entry, its checkpoint rows, the whole chain) is caught too, by the chain, the
checkpoints or the checkpoint files exported outside the database."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.ledger import make_entry
from yuntan.platform.factors.models import FactorValue, FactorVersion
from yuntan.platform.labels import actions as labels
from yuntan.platform.labels.models import Label
from yuntan.platform.ledger.actions import checkpoint_in_process, checkpoints_dir, verify_ledger
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.models import ActivityValue, Result, Study
from yuntan.platform.studies.services import compute_result, recheck, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.actions import VerificationError

GRID = "electricity-grid-average-CN-YN"


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def run_verify(capsys: Any, *args: str) -> tuple[int, str]:
    from yuntan.cli import main

    code = main(["ledger", "verify", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def verified(study: Study, world: World, settings: Any, tmp_path: Path) -> Any:
    """Enterprise A's aluminium study, computed, verified; label keys and a ledger key."""
    settings.DATA_DIR = tmp_path
    call_command("label_keys", "--rotate", stdout=StringIO())
    call_command("ledger_keys", "--generate", stdout=StringIO())
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    actions.sign_off(verification, world.users["verifier"], "数据与佐证一致。")
    return verification


@pytest.fixture
def labelled(verified: Any, world: World) -> Label:
    return labels.issue(verified, world.users["certifier"], "http://testserver/")


@pytest.mark.django_db
def test_an_untouched_platform_reconciles(labelled: Label, capsys: Any) -> None:
    verification = verify_ledger()
    assert verification.problem is None and list(verification.disagreements) == []
    code, out = run_verify(capsys)
    assert code == 0 and "intact" in out


# What an insider changes, and the row `ledger verify` must then name.
def _result(study: Study) -> Result:
    found = study.latest_result()
    assert found is not None
    return found


def total(study: Study) -> str:
    sql("UPDATE studies_result SET total_kg_co2e = 959.0 WHERE id = %s", _result(study).pk)
    return f"studies.result:{_result(study).pk}"


def outcome(study: Study) -> str:
    result = _result(study)
    changed = json.loads(json.dumps(result.outcome))
    changed["results"][changed["headline"]]["total"] = 959.0
    sql("UPDATE studies_result SET outcome = %s WHERE id = %s", json.dumps(changed), result.pk)
    return f"studies.result:{result.pk}"


def inputs(study: Study) -> str:
    result = _result(study)
    changed = json.loads(json.dumps(result.inputs))
    changed["activity"]["alumina"] = [1000.0, "t"]
    sql("UPDATE studies_result SET inputs = %s WHERE id = %s", json.dumps(changed), result.pk)
    return f"studies.result:{result.pk}"


def activity(study: Study) -> str:
    value = ActivityValue.objects.get(study=study, field_id="alumina")
    sql("UPDATE studies_activityvalue SET amount = 1000 WHERE id = %s", value.pk)
    return f"studies.activityvalue:{value.pk}"


def activity_removed(study: Study) -> str:
    sql("DELETE FROM studies_activityvalue WHERE study_id = %s AND field_id = 'alumina'",
        study.pk)
    return f"studies.study:{study.pk}"


def label_reinstated(study: Study) -> str:
    label = Label.objects.get(verification__study=study)
    labels.set_status(label, label.issued_by, "revoked", "数据造假 / falsified data")
    sql("UPDATE labels_label SET status = 'issued', status_reason = '' WHERE id = %s",
        label.pk)
    return f"labels.label:{label.pk}"


def label_extended(study: Study) -> str:
    label = Label.objects.get(verification__study=study)
    sql("UPDATE labels_label SET valid_to = '2099-12-31' WHERE id = %s", label.pk)
    return f"labels.label:{label.pk}"


def factor_value(study: Study) -> str:
    version = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    value = FactorValue.objects.filter(version=version).first()
    assert value is not None
    sql("UPDATE factors_factorvalue SET amount_kg_per_unit = 0.01 WHERE id = %s", value.pk)
    return f"factors.factorversion:{version.pk}"


def factor_unpublished(study: Study) -> str:
    version = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    sql("UPDATE factors_factorversion SET status = 'draft' WHERE id = %s", version.pk)
    return f"factors.factorversion:{version.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", [total, outcome, inputs, activity, activity_removed,
                                    label_reinstated, label_extended, factor_value,
                                    factor_unpublished])
def test_a_row_changed_in_the_database_is_named(labelled: Label, tamper: Any,
                                                capsys: Any) -> None:
    subject = tamper(labelled.verification.study)
    verification = verify_ledger()
    assert verification.problem is None  # the chain itself is intact...
    assert subject in {d.subject for d in verification.disagreements}  # ...the row is not
    code, out = run_verify(capsys)
    assert code == 1 and subject in out


@pytest.mark.django_db
def test_no_label_is_signed_over_a_changed_result(verified: Any, world: World) -> None:
    total(verified.study)
    with pytest.raises(VerificationError, match="ledger"):
        labels.issue(verified, world.users["certifier"], "http://testserver/")
    assert not Label.objects.exists()


@pytest.mark.django_db
def test_the_label_signs_the_ledgered_figure(labelled: Label) -> None:
    result = _result(labelled.verification.study)
    entry = LedgerEntry.objects.get(kind="result.created", object_pk=str(result.pk))
    assert labelled.document["content"]["footprint"] == entry.payload["total_kg_co2e"]
    issued = LedgerEntry.objects.get(kind="label.issued")
    assert (issued.payload["footprint"], issued.payload["status"]) == (
        entry.payload["total_kg_co2e"], "issued")


@pytest.mark.django_db
def test_recheck_reports_a_changed_total(labelled: Label) -> None:
    study = labelled.verification.study
    total(study)
    checked = recheck(_result(study))
    assert not checked.same and "/result/total_kg_co2e" in checked.differences
    assert checked.ledger_disagreements


@pytest.mark.django_db
def test_a_revoked_label_set_back_to_issued_shows_revoked(labelled: Label) -> None:
    label_reinstated(labelled.verification.study)
    client = Client()
    page = client.get(reverse("labels:public", args=[labelled.number]))
    text = page.content.decode()
    assert page["X-Label-Status"] == "revoked"
    assert 'id="label-status" class="banner status-error"' in text
    assert 'id="label-ledger"' in text
    image = client.get(reverse("labels:image", args=[labelled.number, "svg"]))
    assert "no-store" in image["Cache-Control"]
    assert "REVOKED" in image.content.decode() or "账本不符" in image.content.decode()
    document = json.loads(client.get(reverse("labels:document",
                                             args=[labelled.number])).content)
    assert document["status"]["status"] == "revoked"
    assert document["status"]["consistent_with_ledger"] is False


# --- the ledger itself -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_changed_entry_is_named(labelled: Label, capsys: Any) -> None:
    entry = LedgerEntry.objects.get(kind="label.issued")
    sql("UPDATE ledger_ledgerentry SET payload = %s WHERE id = %s",
        json.dumps({**entry.payload, "footprint": 959.0}), entry.pk)
    found = verify_ledger().problem
    assert found is not None and (found.kind, found.sequence) == ("modified", entry.sequence)
    code, out = run_verify(capsys)
    assert code == 1 and f"entry {entry.sequence} was modified" in out


@pytest.mark.django_db
def test_a_deleted_checkpoint_row_is_named(labelled: Label, capsys: Any) -> None:
    first = checkpoint_in_process()
    assert first is not None and (checkpoints_dir() / "checkpoint-000001.json").exists()
    labels.set_status(labelled, labelled.issued_by, "suspended", "监督 / surveillance")
    assert checkpoint_in_process() is not None
    sql("DELETE FROM ledger_ledgercheckpoint WHERE number = 2")
    # Without the files the last checkpoint row can go unnoticed; the exported file names it.
    code, out = run_verify(capsys, "--against", str(checkpoints_dir()))
    assert code == 1 and "checkpoint 2" in out and "deleted from the database" in out


def _rewrite_chain_from(sequence: int, change: dict[str, Any]) -> None:
    """Change one entry's payload and re-hash every entry after it and the head, as someone
    who knows the format would: the chain is consistent again."""
    entries = list(LedgerEntry.objects.filter(sequence__gte=sequence).order_by("sequence"))
    previous = entries[0].previous_hash
    for entry in entries:
        core = entry.as_core()
        payload = {**entry.payload, **change} if entry.sequence == sequence else entry.payload
        redone = make_entry(entry.sequence, previous, entry.kind, payload, core.actor,
                            core.time, core.subject)
        sql("UPDATE ledger_ledgerentry SET payload = %s, payload_hash = %s, "
            "previous_hash = %s, hash = %s WHERE id = %s", json.dumps(payload),
            redone.payload_hash, redone.previous_hash, redone.hash, entry.pk)
        previous = redone.hash
    sql("UPDATE ledger_ledgerhead SET hash = %s WHERE id = 1", previous)


@pytest.mark.django_db
def test_a_rewritten_chain_with_its_checkpoints_deleted_is_caught_by_the_files(
        labelled: Label, capsys: Any) -> None:
    assert checkpoint_in_process() is not None
    result = _result(labelled.verification.study)
    entry = LedgerEntry.objects.get(kind="result.created", object_pk=str(result.pk))
    # The insider changes the total, rewrites the ledger to match and removes the checkpoint
    # rows that would give them away.
    sql("UPDATE studies_result SET total_kg_co2e = 959.0 WHERE id = %s", result.pk)
    _rewrite_chain_from(entry.sequence, {"total_kg_co2e": 959.0})
    sql("DELETE FROM ledger_ledgercheckpoint")
    assert verify_ledger().problem is None  # the database alone is consistent again
    found = verify_ledger(checkpoints_dir()).problem
    assert found is not None and found.kind == "checkpoint"
    code, out = run_verify(capsys, "--against", str(checkpoints_dir()))
    assert code == 1 and "rewritten" in out
