"""The platform's ledger: entries are appended in the change's transaction, in sequence,
never changed through the ORM; tampering with the database directly (raw SQL) is caught at
the first affected entry; checkpoints are signed, published and survive key rotation."""

from __future__ import annotations

import datetime
import itertools
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test import Client

from yuntan.ledger import GENESIS_HASH, make_entry
from yuntan.platform.ledger.actions import (
    NotInTransaction,
    append,
    make_checkpoint,
    verify_ledger,
)
from yuntan.platform.ledger.keys import current_key_id, generate_key, public_keys
from yuntan.platform.ledger.models import (
    AppendOnly,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerHead,
    ledger_time,
)

ENTRIES = "ledger_ledgerentry"


@pytest.fixture
def actor(db: None) -> User:
    return User.objects.create_user("curator-x", password="pw-curator-x-123")


def fill(actor: User, n: int = 5) -> list[LedgerEntry]:
    with transaction.atomic():
        return [append("activity.changed", actor, {"field": f"f{i}", "old": i, "new": i + 0.5,
                                                    "note": "电力"}, actor)
                for i in range(n)]


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def problem() -> tuple[str, int] | None:
    found = verify_ledger().problem
    return (found.kind, found.sequence) if found else None


# --- appending ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_entries_follow_each_other_and_verify(actor: User) -> None:
    entries = fill(actor)
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].subject == f"auth.user:{actor.pk}"
    assert entries[0].actor == actor and entries[0].actor_label == "curator-x"
    head = LedgerHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (5, entries[-1].hash)
    assert verify_ledger().ok
    stored = LedgerEntry.objects.get(sequence=2)
    assert stored.as_core().hash == entries[1].hash


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_entry(actor: User) -> None:
    fill(actor, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        append("study.status", actor, {"status": "submitted"}, actor)
        raise RuntimeError("the change failed")
    assert list(LedgerEntry.objects.values_list("sequence", flat=True)) == [1, 2]
    assert LedgerHead.objects.get(pk=1).sequence == 2
    fill(actor, 1)
    assert verify_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_append_refuses_to_run_outside_a_transaction(actor: User) -> None:
    with pytest.raises(NotInTransaction):
        append("study.status", None, {}, None)
    with transaction.atomic():
        entry = append("study.status", None, {"status": "draft"}, None)
    assert (entry.sequence, entry.actor_label) == (1, "system")


@pytest.mark.django_db
def test_the_orm_cannot_change_or_remove_entries(actor: User) -> None:
    entry = fill(actor, 1)[0]
    entry.kind = "forged"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(kind="forged")
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        LedgerEntry(sequence=9, kind="x", hash="x").save()


@pytest.mark.django_db
def test_the_sequence_is_unique_in_the_database(actor: User) -> None:
    first = fill(actor, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        sql(f"INSERT INTO {ENTRIES} (sequence, time, actor_label, kind, object_app, "
            "object_model, object_pk, payload, payload_hash, previous_hash, hash) "
            "VALUES (%s, %s, '', '', '', '', '', '{}', '', '', 'other')", 1, first.time)


# --- tampering with the database directly -------------------------------------------------

@pytest.mark.django_db
def test_an_updated_payload_is_caught(actor: User) -> None:
    fill(actor)
    sql(f"UPDATE {ENTRIES} SET payload = %s WHERE sequence = 3",
        json.dumps({"field": "f2", "old": 2, "new": 0.1, "note": "电力"}))
    assert problem() == ("modified", 3)


@pytest.mark.django_db
def test_an_updated_actor_is_caught(actor: User) -> None:
    fill(actor)
    sql(f"UPDATE {ENTRIES} SET actor_label = 'someone-else' WHERE sequence = 4")
    assert problem() == ("modified", 4)


@pytest.mark.django_db
def test_a_deleted_entry_is_caught(actor: User) -> None:
    fill(actor)
    sql(f"DELETE FROM {ENTRIES} WHERE sequence = 2")
    assert problem() == ("deleted", 2)


@pytest.mark.django_db
def test_a_deleted_last_entry_is_caught_by_the_head(actor: User) -> None:
    fill(actor)
    sql(f"DELETE FROM {ENTRIES} WHERE sequence = 5")
    assert problem() == ("deleted", 5)


FORGED_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def insert_forged(sequence: int, previous_hash: str) -> None:
    forged = make_entry(sequence, previous_hash, "factor.published", {"forged": True}, "x",
                        ledger_time(FORGED_TIME))
    sql(f"INSERT INTO {ENTRIES} (sequence, time, actor_label, kind, object_app, "
        "object_model, object_pk, payload, payload_hash, previous_hash, hash) "
        "VALUES (%s, %s, 'x', 'factor.published', '', '', '', %s, %s, %s, %s)",
        sequence, FORGED_TIME, json.dumps({"forged": True}), forged.payload_hash,
        forged.previous_hash, forged.hash)


@pytest.mark.django_db
def test_a_forged_inserted_entry_is_caught(actor: User) -> None:
    fill(actor)
    insert_forged(6, "ab" * 32)
    assert problem() == ("inserted", 6)


@pytest.mark.django_db
def test_a_correctly_linked_forged_entry_is_caught_by_the_head(actor: User) -> None:
    """The forger computes a valid hash and link: the chain alone cannot tell, the head (and
    any later checkpoint) can."""
    entries = fill(actor)
    insert_forged(6, entries[-1].hash)
    assert problem() == ("inserted", 6)


@pytest.mark.django_db
def test_two_swapped_entries_are_caught(actor: User) -> None:
    fill(actor)
    sql(f"UPDATE {ENTRIES} SET sequence = 1000 WHERE sequence = 2")
    sql(f"UPDATE {ENTRIES} SET sequence = 2 WHERE sequence = 4")
    sql(f"UPDATE {ENTRIES} SET sequence = 4 WHERE sequence = 1000")
    assert problem() == ("reordered", 2)


# --- checkpoints and keys -----------------------------------------------------------------

@pytest.mark.django_db
def test_checkpoints_cover_the_new_entries_and_chain(actor: User, keys: Path) -> None:
    fill(actor, 3)
    first = make_checkpoint()
    assert first is not None
    assert (first.number, first.first_sequence, first.last_sequence) == (1, 1, 3)
    assert make_checkpoint() is None  # nothing new
    fill(actor, 2)
    second = make_checkpoint()
    assert second is not None
    assert (second.first_sequence, second.last_sequence) == (4, 5)
    assert second.previous_checkpoint_hash == first.hash
    assert verify_ledger() == type(verify_ledger())(5, 2, None)


@pytest.mark.django_db
def test_a_changed_checkpoint_root_or_signature_is_caught(actor: User, keys: Path) -> None:
    fill(actor, 3)
    make_checkpoint()
    sql("UPDATE ledger_ledgercheckpoint SET root = %s WHERE number = 1", "ab" * 32)
    found = verify_ledger().problem
    assert found is not None and "signature" in found.message  # the root is signed
    sql("UPDATE ledger_ledgercheckpoint SET signature = %s WHERE number = 1", "AAAA")
    assert verify_ledger().problem is not None


@pytest.mark.django_db
def test_a_rewritten_chain_is_caught_by_the_checkpoint(actor: User, keys: Path) -> None:
    """Someone rewrites entry 2 and re-hashes every entry after it, and the head: the chain
    is consistent again, but the signed root is not."""
    entries = fill(actor, 3)
    make_checkpoint()
    previous = entries[0].hash
    for entry in entries[1:]:
        payload = {**entry.payload, "new": 99} if entry.sequence == 2 else entry.payload
        core = entry.as_core()
        redone = make_entry(entry.sequence, previous, entry.kind, payload, core.actor,
                            core.time, core.subject)
        sql(f"UPDATE {ENTRIES} SET payload = %s, payload_hash = %s, previous_hash = %s, "
            "hash = %s WHERE sequence = %s", json.dumps(payload), redone.payload_hash,
            redone.previous_hash, redone.hash, entry.sequence)
        previous = redone.hash
    sql("UPDATE ledger_ledgerhead SET hash = %s WHERE id = 1", previous)
    assert problem() == ("checkpoint", 1)


@pytest.mark.django_db
def test_old_checkpoints_verify_after_key_rotation(actor: User, keys: Path) -> None:
    old = current_key_id()
    fill(actor, 2)
    make_checkpoint()
    new = generate_key()
    fill(actor, 2)
    second = make_checkpoint()
    assert second is not None and second.key_id == new != old
    assert verify_ledger().ok
    assert {k.id for k in public_keys()} == {old, new}
    assert not (keys / f"{old}.key.pem").exists()  # a retired key can no longer sign
    private = keys / f"{new}.key.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert not any("PRIVATE" in k.pem for k in public_keys())


def test_the_key_command_generates_rotates_and_shows(settings: Any, tmp_path: Path,
                                                    capsys: Any) -> None:
    from django.core.management import CommandError, call_command

    settings.YUNTAN_LEDGER_KEYS_DIR = str(tmp_path / "k")
    call_command("ledger_keys", "--generate")
    with pytest.raises(CommandError):
        call_command("ledger_keys", "--generate")
    call_command("ledger_keys", "--rotate")
    call_command("ledger_keys", "--show")
    out = capsys.readouterr().out
    assert out.count("BEGIN PUBLIC KEY") == 2 and "current" in out


# --- pages --------------------------------------------------------------------------------

@pytest.mark.urls("tests.ledger.ledger_urls")
@pytest.mark.django_db
def test_keys_and_checkpoints_are_public_and_reveal_no_payload(actor: User, keys: Path
                                                               ) -> None:
    with transaction.atomic():
        append("activity.changed", actor, {"field": "secret-field-甲"}, actor)
    make_checkpoint()
    anonymous = Client()
    page = anonymous.get("/ledger/keys/")
    assert page.status_code == 200
    assert b"BEGIN PUBLIC KEY" in page.content and b"secret-field" not in page.content
    published = anonymous.get("/ledger/checkpoints/1.json")
    assert published.status_code == 200
    body = published.json()
    assert body["checkpoint"]["first"] == 1 and body["algorithm"] == "Ed25519"
    assert body["key_id"] == current_key_id()
    assert "secret-field" not in published.content.decode()
    assert anonymous.get("/ledger/checkpoints/2.json").status_code == 404
    assert LedgerCheckpoint.objects.count() == 1


@pytest.mark.urls("tests.ledger.ledger_urls")
@pytest.mark.parametrize(("role", "status"), [
    ("member_a", 403), ("admin_a", 403), ("province_viewer", 403), ("verifier", 403),
    ("curator", 403), ("platform_admin", 200)])
def test_entries_are_shown_to_platform_admins_only(world: Any, role: str, status: int,
                                                   actor: User) -> None:
    with transaction.atomic():
        append("activity.changed", actor, {"field": "secret-field-甲"}, actor)
    client = Client()
    client.force_login(world.users[role])
    response = client.get("/ledger/")
    assert response.status_code == status
    assert (b"secret-field" in response.content) is False  # the list shows no payload
    if status == 200:
        assert b"activity.changed" in response.content


@pytest.mark.urls("tests.ledger.ledger_urls")
@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_for_entries() -> None:
    response = Client().get("/ledger/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_access_rule_shows_entries_to_platform_admins_only(world: Any, actor: User
                                                               ) -> None:
    from yuntan.platform.accounts.access import visible

    fill(actor, 2)
    assert visible(LedgerEntry, world.users["platform_admin"]).count() == 2
    for role in ("admin_a", "member_a", "province_viewer", "outsider"):
        assert not visible(LedgerEntry, world.users[role]).exists()


# --- the command line ---------------------------------------------------------------------

@pytest.mark.django_db
def test_yuntan_ledger_verify_reports_ok_or_the_first_problem(actor: User, keys: Path,
                                                             capsys: Any) -> None:
    from yuntan.cli import main

    fill(actor, 3)
    assert main(["ledger", "checkpoint"]) == 0
    published = json.loads(capsys.readouterr().out)
    assert (published["number"], published["checkpoint"]["last"]) == (1, 3)
    assert main(["ledger", "checkpoint"]) == 0
    assert "no new entries" in capsys.readouterr().out
    assert main(["ledger", "verify"]) == 0
    assert "intact: 3" in capsys.readouterr().out
    sql(f"UPDATE {ENTRIES} SET kind = 'forged' WHERE sequence = 2")
    assert main(["ledger", "verify"]) == 1
    out = capsys.readouterr().out
    assert "entry 2 was modified" in out and "条目 2" in out


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_take_distinct_sequence_numbers() -> None:
    """Run on PostgreSQL (DATABASE_URL=postgres://...): the head row lock serialises
    appends from several connections. SQLite serialises writers itself."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and concurrent connections")
    import threading

    from django.db import close_old_connections

    def worker(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    append("activity.changed", None, {"worker": n, "i": i}, None)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(LedgerEntry.objects.values_list("sequence", flat=True)) == list(range(1, 41))
    assert verify_ledger().ok


@pytest.mark.urls("tests.ledger.ledger_urls")
@pytest.mark.django_db
def test_the_keys_page_is_chinese_by_default(keys: Path) -> None:
    page = Client().get("/ledger/keys/")
    assert "账本签名密钥" in page.content.decode()


@pytest.mark.django_db
def test_an_entry_comes_with_its_inclusion_proof(actor: User, keys: Path) -> None:
    from yuntan.ledger.merkle import ProofStep, verify_inclusion
    from yuntan.platform.ledger.actions import inclusion_proof_for

    entries = fill(actor, 5)
    assert inclusion_proof_for(3) is None  # no checkpoint yet
    make_checkpoint()
    for entry in entries:
        proof = inclusion_proof_for(entry.sequence)
        assert proof is not None and proof["entry_hash"] == entry.hash
        steps = [ProofStep(s["side"], s["hash"]) for s in proof["proof"]]
        assert verify_inclusion(entry.hash, steps, proof["root"])


@pytest.mark.django_db
def test_a_deleted_checkpoint_is_caught(actor: User, keys: Path) -> None:
    fill(actor, 2)
    make_checkpoint()
    fill(actor, 2)
    make_checkpoint()
    sql("DELETE FROM ledger_ledgercheckpoint WHERE number = 1")
    found = verify_ledger().problem
    assert found is not None and found.kind == "checkpoint" and found.sequence == 3


@pytest.mark.django_db
def test_the_checkpoint_service_signs_each_period_and_exports(actor: User, keys: Path,
                                                              tmp_path: Path,
                                                              monkeypatch: Any,
                                                              capsys: Any) -> None:
    from yuntan.cli import main
    from yuntan.platform.ledger import commandline

    fill(actor, 2)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:  # new entries arrive while the service waits
        pauses.append(seconds)
        fill(actor, 1)

    monkeypatch.setattr(commandline.time, "sleep", sleep)
    out = tmp_path / "published"
    assert main(["ledger", "checkpoint", "--every", "3600", "--rounds", "3",
                 "--export", str(out)]) == 0
    assert pauses == [3600, 3600]
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoint-000001.json", "checkpoint-000002.json", "checkpoint-000003.json"]
    third = json.loads((out / "checkpoint-000003.json").read_text())
    assert (third["checkpoint"]["first"], third["checkpoint"]["last"]) == (4, 4)
    assert LedgerCheckpoint.objects.count() == 3 and verify_ledger().ok
    assert main(["ledger", "checkpoint", "--every", "0"]) == 2
