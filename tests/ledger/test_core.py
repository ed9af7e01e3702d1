"""The pure ledger: any single change, removal, insertion or swap of entries is found at
the right entry; inclusion proofs verify for every leaf; checkpoints catch what the chain
alone cannot (the last entry removed or a forged one appended)."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from purity import run_without_django

from yuntan.ledger import (
    GENESIS_HASH,
    Entry,
    canonical_json,
    entry_hash,
    inclusion_proof,
    make_entry,
    merkle_root,
    verify_chain,
    verify_inclusion,
)
from yuntan.ledger.checkpoint import (
    SignedCheckpoint,
    key_id,
    make_checkpoint,
    sign_checkpoint,
    verify_checkpoints,
)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**50), 2**50),
                         st.text(max_size=8))
payloads = st.dictionaries(st.text(max_size=6), json_scalars, max_size=4)


def build_chain(payload_list: list[dict[str, object]]) -> list[Entry]:
    entries: list[Entry] = []
    previous = GENESIS_HASH
    for i, payload in enumerate(payload_list, start=1):
        entry = make_entry(i, previous, "activity.changed", payload, f"user{i}",
                           f"2026-01-01T00:00:{i % 60:02d}Z", subject=f"studies.study:{i}")
        entries.append(entry)
        previous = entry.hash
    return entries


chains = st.lists(payloads, min_size=2, max_size=12).map(build_chain)
# What is checked is the outcome, never the time: the machine is shared with other work.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def renumber(entry: Entry, sequence: int) -> Entry:
    return dataclasses.replace(entry, sequence=sequence)


def test_the_core_imports_no_django() -> None:
    run_without_django("import yuntan.ledger, yuntan.ledger.checkpoint")


def test_the_entry_hash_is_sha256_over_the_jcs_of_its_fields() -> None:
    import hashlib

    payload = {"field": "electricity", "new": 2.5, "old": None}
    payload_digest = hashlib.sha256(canonical_json(payload)).hexdigest()
    fields = {"sequence": 1, "previous_hash": GENESIS_HASH, "kind": "k", "subject": "",
              "payload_hash": payload_digest, "actor": "a", "time": "t"}
    expected = hashlib.sha256(canonical_json(fields)).hexdigest()
    assert entry_hash(1, GENESIS_HASH, "k", payload, "a", "t") == expected
    assert canonical_json({"b": 1, "a": [1.0, "云"]}) == '{"a":[1,"云"],"b":1}'.encode()


@RELAXED
@given(chains)
def test_an_untouched_chain_verifies(entries: list[Entry]) -> None:
    assert verify_chain(entries) is None


@RELAXED
@given(chains, st.data())
def test_any_modification_is_found_at_its_entry(entries: list[Entry], data: st.DataObject
                                                ) -> None:
    i = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(["payload", "kind", "actor", "time", "subject",
                                       "previous_hash", "hash"]))
    entry = entries[i]
    if field == "payload":
        changed = dataclasses.replace(entry, payload={**entry.payload, "tampered": True})
    elif field in ("previous_hash", "hash"):
        changed = dataclasses.replace(entry, **{field: "f" * 64})
    else:
        changed = dataclasses.replace(entry, **{field: getattr(entry, field) + "x"})
    entries[i] = changed
    problem = verify_chain(entries)
    assert problem is not None
    assert problem.sequence == i + 1
    assert problem.kind in ("modified", "inserted")  # a replaced link reads as a forgery


@RELAXED
@given(chains, st.data())
def test_any_deletion_but_the_last_is_found(entries: list[Entry], data: st.DataObject
                                            ) -> None:
    i = data.draw(st.integers(0, len(entries) - 2))
    del entries[i]
    problem = verify_chain(entries)
    assert problem is not None
    assert (problem.kind, problem.sequence) == ("deleted", i + 1)


@RELAXED
@given(chains, st.data())
def test_any_forged_insertion_is_found(entries: list[Entry], data: st.DataObject) -> None:
    """The forger computes a correct hash, links it to its predecessor and renumbers the
    entries after it (what a unique sequence column forces)."""
    i = data.draw(st.integers(0, len(entries) - 1))
    previous = entries[i - 1].hash if i else GENESIS_HASH
    forged = make_entry(i + 1, previous, "factor.published", {"forged": True}, "x", "t")
    tampered = [*entries[:i], forged, *(renumber(e, e.sequence + 1) for e in entries[i:])]
    problem = verify_chain(tampered)
    assert problem is not None
    assert (problem.kind, problem.sequence) == ("inserted", i + 1)


@RELAXED
@given(chains, st.data())
def test_a_forged_entry_with_a_made_up_link_is_found(entries: list[Entry],
                                                     data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(entries)))
    forged = make_entry(i + 1, "a" * 64, "factor.published", {"forged": True}, "x", "t")
    tampered = [*entries[:i], forged, *(renumber(e, e.sequence + 1) for e in entries[i:])]
    problem = verify_chain(tampered)
    assert problem is not None
    assert (problem.kind, problem.sequence) == ("inserted", i + 1)


@RELAXED
@given(chains, st.data())
def test_any_swap_of_two_entries_is_found(entries: list[Entry], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(entries) - 2))
    j = data.draw(st.integers(i + 1, len(entries) - 1))
    entries[i], entries[j] = renumber(entries[j], i + 1), renumber(entries[i], j + 1)
    problem = verify_chain(entries)
    assert problem is not None
    assert (problem.kind, problem.sequence) == ("reordered", i + 1)


@RELAXED
@given(st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex), min_size=1,
                max_size=40))
def test_inclusion_proofs_verify_for_every_leaf(hashes: list[str]) -> None:
    root = merkle_root(hashes)
    for index, leaf in enumerate(hashes):
        proof = inclusion_proof(hashes, index)
        assert verify_inclusion(leaf, proof, root)
        assert not verify_inclusion("00" * 32 if leaf != "00" * 32 else "11" * 32, proof, root)


def test_the_merkle_root_separates_leaves_from_nodes() -> None:
    a, b = "aa" * 32, "bb" * 32
    assert merkle_root([a]) != a
    assert merkle_root([a, b]) != merkle_root([b, a])
    assert merkle_root([a, b, a]) != merkle_root([a, b])


# --- checkpoints --------------------------------------------------------------------------

KEY = Ed25519PrivateKey.generate()
KEYS = {key_id(KEY.public_key()): KEY.public_key()}


def checkpoints_over(entries: list[Entry], cut: int) -> list[SignedCheckpoint]:
    first = make_checkpoint(entries[:cut], None, "2026-01-01T01:00:00Z")
    second = make_checkpoint(entries[cut:], first, "2026-01-01T02:00:00Z")
    return [sign_checkpoint(first, KEY), sign_checkpoint(second, KEY)]


ENTRIES = build_chain([{"n": n} for n in range(7)])


def test_signed_checkpoints_verify_and_survive_json() -> None:
    signed = checkpoints_over(ENTRIES, 3)
    assert verify_checkpoints(signed, ENTRIES, KEYS) is None
    again = [SignedCheckpoint.from_json(s.to_json()) for s in signed]
    assert verify_checkpoints(again, ENTRIES, KEYS) == None  # noqa: E711


def test_checkpoints_catch_the_last_entry_removed() -> None:
    problem = verify_checkpoints(checkpoints_over(ENTRIES, 3), ENTRIES[:-1], KEYS)
    assert problem is not None and (problem.kind, problem.sequence) == ("deleted", 7)


def test_checkpoints_catch_a_rewritten_chain() -> None:
    """A forger who rewrites every hash after entry 2 keeps the chain valid but not the
    root of the signed checkpoint."""
    rewritten = build_chain([{"n": n} if n != 1 else {"n": 99} for n in range(7)])
    assert verify_chain(rewritten) is None
    problem = verify_checkpoints(checkpoints_over(ENTRIES, 3), rewritten, KEYS)
    assert problem is not None and (problem.kind, problem.sequence) == ("checkpoint", 1)


def test_a_changed_checkpoint_or_an_unknown_key_is_refused() -> None:
    first, second = checkpoints_over(ENTRIES, 3)
    moved = dataclasses.replace(first, checkpoint=dataclasses.replace(first.checkpoint,
                                                                      last=4))
    problem = verify_checkpoints([moved, second], ENTRIES, KEYS)
    assert problem is not None and "signature" in problem.message
    other = Ed25519PrivateKey.generate()
    problem = verify_checkpoints([sign_checkpoint(first.checkpoint, other), second],
                                 ENTRIES, KEYS)
    assert problem is not None and "unknown key" in problem.message
    assert verify_checkpoints([second], ENTRIES, KEYS) is not None  # the first is missing


@pytest.mark.parametrize("cut", [1, 6])
def test_old_checkpoints_verify_after_a_key_rotation(cut: int) -> None:
    new_key = Ed25519PrivateKey.generate()
    first = make_checkpoint(ENTRIES[:cut], None, "t1")
    second = make_checkpoint(ENTRIES[cut:], first, "t2")
    signed = [sign_checkpoint(first, KEY), sign_checkpoint(second, new_key)]
    keys = {**KEYS, key_id(new_key.public_key()): new_key.public_key()}
    assert verify_checkpoints(signed, ENTRIES, keys) is None


@settings(RELAXED, max_examples=30)
@given(chains, st.data())
def test_checkpoints_catch_any_change_in_their_range(entries: list[Entry],
                                                     data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(entries) - 1))
    signed = [sign_checkpoint(make_checkpoint(entries, None, "t"), KEY)]
    rewritten = build_chain([{**e.payload, "x": 1} if k == i else dict(e.payload)
                             for k, e in enumerate(entries)])
    assert verify_checkpoints(signed, rewritten, KEYS) is not None
