"""A certifier acts only on its own body's labels; a finding takes only a defined
severity."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.accounts.models import Membership, Organisation
from yuntan.platform.labels import actions as labels
from yuntan.platform.labels.models import LabelStatus
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.actions import VerificationError
from yuntan.platform.verification.models import Finding


@pytest.fixture
def in_review(study: Study, world: World) -> Any:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    return verification


@pytest.fixture
def other_certifier(world: World) -> User:
    body = Organisation.objects.create(kind="certification_body", name_zh="另一认证机构")
    user = User.objects.create_user("certifier-2")
    Membership.objects.create(user=user, organisation=body, role="certifier")
    return user


@pytest.mark.django_db
def test_another_certification_body_cannot_touch_the_label(
        in_review: Any, world: World, other_certifier: User, settings: Any,
        tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    call_command("label_keys", "--rotate", stdout=StringIO())
    actions.sign_off(in_review, world.users["verifier"], "数据与佐证一致。")
    label = labels.issue(in_review, world.users["certifier"], "http://testserver/")
    with pytest.raises(VerificationError):
        labels.set_status(label, other_certifier, LabelStatus.REVOKED, "not ours")
    with pytest.raises(VerificationError):
        labels.record_surveillance(label, other_certifier, "all fine")
    client = Client()
    client.force_login(other_certifier)
    client.post(reverse("labels:status", args=[label.number]),
                {"status": "revoked", "reason": "not ours"})
    label.refresh_from_db()
    assert label.status == LabelStatus.ISSUED and not label.surveillances.exists()
    labels.set_status(label, world.users["certifier"], LabelStatus.SUSPENDED, "监督发现问题")
    label.refresh_from_db()
    assert label.status == LabelStatus.SUSPENDED


@pytest.mark.django_db
@pytest.mark.parametrize("severity", ["critical", "", "HIGH", "<b>x</b>"])
def test_a_finding_takes_only_a_defined_severity(in_review: Any, world: World,
                                                 severity: str) -> None:
    with pytest.raises(VerificationError):
        actions.raise_finding(in_review, world.users["verifier"], field_id="alumina",
                              text="偏高", reason="与发票不符", severity=severity)
    client = Client()
    client.force_login(world.users["verifier"])
    response = client.post(reverse("verification:act", args=[in_review.pk, "finding"]),
                           {"field_id": "alumina", "text": "偏高", "reason": "与发票不符",
                            "severity": severity})
    assert response.status_code == 302 and not Finding.objects.exists()
