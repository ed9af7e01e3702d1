"""Checkpoints are on by default: set-up creates the signing key, a commit that makes a
checkpoint due signs one in-process and exports it outside the database; entries written
before results carried their outcome digest still reconcile."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.ledger.actions import append, checkpoints_dir, verify_ledger
from yuntan.platform.ledger.keys import current_key_id, generate_key
from yuntan.platform.ledger.models import LedgerCheckpoint
from yuntan.platform.studies.models import Result, Study
from yuntan.platform.studies.services import compute_result, set_activity


@pytest.mark.django_db
def test_set_up_creates_the_signing_key_once() -> None:
    assert current_key_id() is None
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    key = current_key_id()
    assert key is not None and key in out.getvalue()
    call_command("load_reference_data", stdout=io.StringIO())
    assert current_key_id() == key


def _append_committed(user: User, capture: Any, n: int = 1) -> None:
    with capture(execute=True), transaction.atomic():
        for i in range(n):
            append("test.changed", user, {"i": i}, user)


@pytest.mark.django_db
def test_a_due_checkpoint_is_signed_after_the_commit_and_exported(
        settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.YUNTAN_LEDGER_CHECKPOINT_EVERY = 3
    generate_key()
    user = User.objects.create_user("someone")
    _append_committed(user, django_capture_on_commit_callbacks)  # the first: none yet
    assert LedgerCheckpoint.objects.count() == 1
    _append_committed(user, django_capture_on_commit_callbacks, 2)  # 2 < 3: not due
    assert LedgerCheckpoint.objects.count() == 1
    _append_committed(user, django_capture_on_commit_callbacks)  # 3 uncovered: due
    second = LedgerCheckpoint.objects.get(number=2)
    assert (second.first_sequence, second.last_sequence) == (2, 4)
    exported = json.loads((checkpoints_dir() / "checkpoint-000002.json").read_text())
    assert exported["hash"] == second.hash
    assert verify_ledger(checkpoints_dir()).ok


@pytest.mark.django_db
def test_a_missing_key_does_not_undo_the_change(
        django_capture_on_commit_callbacks: Any) -> None:
    user = User.objects.create_user("someone")
    _append_committed(user, django_capture_on_commit_callbacks)
    assert not LedgerCheckpoint.objects.exists() and verify_ledger().ok


@pytest.mark.django_db
def test_in_process_checkpoints_can_be_turned_off(
        settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.YUNTAN_LEDGER_CHECKPOINT_EVERY = 0
    generate_key()
    _append_committed(User.objects.create_user("someone"), django_capture_on_commit_callbacks)
    assert not LedgerCheckpoint.objects.exists()


@pytest.mark.django_db
def test_a_result_entry_without_an_outcome_digest_still_reconciles(study: Study,
                                                                   world: World) -> None:
    """An entry written before results carried ``outcome_sha256``: its total still holds
    the outcome to account."""
    admin = world.users["admin_a"]
    set_activity(study, ALUMINIUM, admin, "form")
    first = compute_result(study, admin, "compute")
    with transaction.atomic():
        old = Result.objects.create(
            study=study, number=2, reason="before digests", inputs=first.inputs,
            inputs_sha256=first.inputs_sha256, outcome=first.outcome,
            total_kg_co2e=first.total_kg_co2e, headline_method=first.headline_method,
            gwp_set=first.gwp_set, engine_version=first.engine_version,
            complete=first.complete)
        append("result.created", old, {
            "study": study.pk, "number": 2, "total_kg_co2e": old.total_kg_co2e,
            "inputs_sha256": old.inputs_sha256, "gwp_set": old.gwp_set,
            "engine_version": old.engine_version, "complete": old.complete,
            "reason": old.reason}, admin)
    assert verify_ledger().ok
    changed = json.loads(json.dumps(old.outcome))
    changed["results"][changed["headline"]]["total"] = 1.0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE studies_result SET outcome = %s WHERE id = %s",
                       [json.dumps(changed), old.pk])
    assert [d.subject for d in verify_ledger().disagreements] == [f"studies.result:{old.pk}"]
