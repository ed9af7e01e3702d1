"""Private signing keys encrypted with ``YUNTAN_KEY_PASSPHRASE``: generated encrypted,
used with the passphrase, refused (with a clear message) without it or with another one —
for ledger checkpoints and for labels."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.labels import actions as label_actions
from yuntan.platform.labels.actions import keys_dir as label_keys_dir
from yuntan.platform.ledger.actions import append, make_checkpoint, verify_ledger
from yuntan.platform.ledger.keys import NoSigningKey, current_key_id, generate_key, keys_dir
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.actions import VerificationError


@pytest.mark.django_db
def test_an_encrypted_checkpoint_key_needs_its_passphrase(settings: Any, tmp_path: Path) -> None:
    settings.YUNTAN_LEDGER_KEYS_DIR = str(tmp_path / "keys")
    settings.YUNTAN_KEY_PASSPHRASE = "长口令 long passphrase 1"
    generate_key()
    pem = (keys_dir() / f"{current_key_id()}.key.pem").read_text()
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    actor = User.objects.create_user("someone")
    with transaction.atomic():
        append("activity.changed", actor, {"field": "f"}, actor)
    assert make_checkpoint() is not None
    with transaction.atomic():
        append("activity.changed", actor, {"field": "g"}, actor)
    settings.YUNTAN_KEY_PASSPHRASE = "wrong"
    with pytest.raises(NoSigningKey, match="YUNTAN_KEY_PASSPHRASE"):
        make_checkpoint()
    settings.YUNTAN_KEY_PASSPHRASE = ""
    with pytest.raises(NoSigningKey, match="YUNTAN_KEY_PASSPHRASE"):
        make_checkpoint()
    assert verify_ledger().ok  # verifying needs only the public keys


@pytest.mark.django_db
def test_an_encrypted_label_key_needs_its_passphrase(study: Study, world: World,
                                                     settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.YUNTAN_KEY_PASSPHRASE = "label passphrase"
    call_command("label_keys", "--rotate", stdout=StringIO())
    private = next(label_keys_dir().glob("*.key"))
    assert b"ENCRYPTED" in private.read_bytes()
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    actions.sign_off(verification, world.users["verifier"], "ok")
    settings.YUNTAN_KEY_PASSPHRASE = ""
    with pytest.raises(VerificationError, match="YUNTAN_KEY_PASSPHRASE"):
        label_actions.issue(verification, world.users["certifier"], "http://x/")
    settings.YUNTAN_KEY_PASSPHRASE = "label passphrase"
    assert label_actions.issue(verification, world.users["certifier"], "http://x/").number
