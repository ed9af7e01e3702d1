"""Labels in the platform: issued by the certification body on a verified study, signed,
checked by anyone on the public page the QR code opens, suspended or revoked with a reason."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.labels import load_public_keys, verify_document
from yuntan.labels.signing import read_document
from yuntan.platform.labels.actions import keys_dir
from yuntan.platform.labels.models import Label
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions


@pytest.fixture
def verified(study: Study, world: World, settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    call_command("label_keys", "--rotate", stdout=StringIO())
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    actions.sign_off(verification, world.users["verifier"], "数据与佐证一致。")
    return verification


def _as(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_signed_label_whose_public_page_verifies(verified: Any, world: World) -> None:
    response = _as(world.users["certifier"]).post(reverse("labels:issue", args=[verified.pk]))
    label = Label.objects.get()
    assert response["Location"] == reverse("labels:public", args=[label.number])
    assert LedgerEntry.objects.filter(kind="label.issued").exists()

    page = _as(None).get(reverse("labels:public", args=[label.number])).content.decode()
    assert label.number in page and "<svg" in page  # the QR code
    assert 'id="signature-check"' in page and "FAILED" not in page
    assert "3" in page and "kg CO2e" in page

    doc = read_document(_as(None).get(reverse("labels:document", args=[label.number])).content)
    assert verify_document(doc, load_public_keys(keys_dir())).valid
    assert doc.signed.content.grade_placeholder  # graded under placeholder thresholds
    assert doc.signed.content.result_inputs_sha256 == verified.study.latest_result().inputs_sha256
    for fmt in ("svg", "png"):
        assert _as(None).get(reverse("labels:image", args=[label.number, fmt])).status_code == 200
    keys = json.loads(_as(None).get(reverse("labels:keys")).content)
    assert keys["keys"]


@pytest.mark.django_db
def test_a_tampered_label_fails_its_check(verified: Any, world: World) -> None:
    _as(world.users["certifier"]).post(reverse("labels:issue", args=[verified.pk]))
    label = Label.objects.get()
    tampered = dict(label.document)
    tampered["content"] = {**tampered["content"], "footprint": 1.0}
    Label.objects.filter(pk=label.pk).update(document=tampered)
    page = _as(None).get(reverse("labels:public", args=[label.number])).content.decode()
    assert "FAILED" in page or "失败" in page


@pytest.mark.django_db
def test_only_the_certification_body_issues_and_changes_labels(verified: Any,
                                                               world: World) -> None:
    for who in ("admin_a", "verifier", "platform_admin"):
        _as(world.users[who]).post(reverse("labels:issue", args=[verified.pk]))
    assert not Label.objects.exists()
    _as(world.users["certifier"]).post(reverse("labels:issue", args=[verified.pk]))
    label = Label.objects.get()
    url = reverse("labels:status", args=[label.number])
    _as(world.users["admin_a"]).post(url, {"status": "revoked", "reason": "x"})
    assert Label.objects.get().status == "issued"
    _as(world.users["certifier"]).post(url, {"status": "suspended", "reason": ""})
    assert Label.objects.get().status == "issued"  # a reason is required
    _as(world.users["certifier"]).post(url, {"status": "revoked", "reason": "数据造假"})
    label = Label.objects.get()
    assert (label.status, label.status_reason) == ("revoked", "数据造假")
    page = _as(None).get(reverse("labels:public", args=[label.number])).content.decode()
    assert "数据造假" in page
    with pytest.raises(ValueError):
        label.save()  # the signed content never changes


@pytest.mark.django_db
def test_annual_surveillance_is_tracked(verified: Any, world: World) -> None:
    import datetime

    _as(world.users["certifier"]).post(reverse("labels:issue", args=[verified.pk]))
    label = Label.objects.get()
    issued = label.issued_at.date()
    assert label.surveillance_due is not None
    assert (label.surveillance_due - issued).days in (365, 366)
    assert not label.surveillance_overdue()
    assert label.surveillance_overdue(label.surveillance_due + datetime.timedelta(days=1))
    url = reverse("labels:surveillance", args=[label.number])
    _as(world.users["admin_a"]).post(url, {"outcome": "x"})
    assert not label.surveillances.exists()  # only the certification body
    _as(world.users["certifier"]).post(url, {"outcome": "现场复核，数据一致。"})
    assert label.surveillances.get().outcome == "现场复核，数据一致。"
    assert LedgerEntry.objects.filter(kind="label.surveillance").exists()
    page = _as(None).get(reverse("labels:public", args=[label.number])).content.decode()
    assert "现场复核" in page
