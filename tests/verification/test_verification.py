"""Verification, first steps: submission snapshots, assignment (conflicts of interest
refused), review start, resubmission with the diff, and who sees the study when."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, TestCase
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.accounts.access import visible
from yuntan.platform.accounts.models import Membership
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import StudyError, compute_result, set_activity
from yuntan.platform.verification.actions import (
    VerificationError,
    assign,
    snapshot_diff,
    start_review,
    submit,
)
from yuntan.platform.verification.models import (
    ConflictOfInterest,
    Verification,
    VerificationStatus,
)


@pytest.fixture
def computed(study: Study, world: World) -> Study:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    return study


def _sees(user: Any, study: Study) -> bool:
    return visible(Study, user).filter(pk=study.pk).exists()


@pytest.mark.django_db
def test_submission_freezes_the_data_and_result(computed: Study, world: World) -> None:
    verification = submit(computed, world.users["member_a"])
    computed.refresh_from_db()
    assert computed.status == StudyStatus.SUBMITTED
    snapshot = computed.snapshots.get()
    assert snapshot.number == 1 and snapshot.result == computed.latest_result()
    assert snapshot.activity["alumina"] == [1920.0, "t"]
    assert verification.status == VerificationStatus.SUBMITTED
    with pytest.raises(StudyError):
        set_activity(computed, {"alumina": (1, "t")}, world.users["admin_a"], "form")
    with pytest.raises(VerificationError, match="已"):
        submit(computed, world.users["admin_a"])  # already with the verifiers
    with pytest.raises(ValueError, match="frozen"):
        snapshot.save()


@pytest.mark.django_db
def test_only_a_result_of_the_current_data_is_submitted(study: Study, world: World) -> None:
    with pytest.raises(VerificationError):
        submit(study, world.users["admin_a"])  # nothing computed
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    set_activity(study, {"alumina": (1930, "t")}, world.users["admin_a"], "form")
    with pytest.raises(VerificationError):
        submit(study, world.users["admin_a"])  # the data changed since
    with pytest.raises(VerificationError):
        submit(study, world.users["admin_b"])  # another enterprise


@pytest.mark.django_db
def test_assignment_by_the_certification_body_and_who_sees_what(computed: Study,
                                                                world: World) -> None:
    other_verifier = User.objects.create_user("verifier2")
    Membership.objects.create(user=other_verifier, organisation=world.orgs["verification_body"],
                              role="verifier")
    assert not _sees(world.users["certifier"], computed)
    verification = submit(computed, world.users["admin_a"])
    assert _sees(world.users["certifier"], computed)  # to assign it
    assert not _sees(world.users["verifier"], computed)
    for who in ("admin_a", "verifier", "curator"):
        with pytest.raises(VerificationError):
            assign(verification, world.users["verifier"], world.users[who])
    with pytest.raises(VerificationError):
        assign(verification, world.users["member_a"], world.users["certifier"])  # not a verifier
    assign(verification, world.users["verifier"], world.users["certifier"])
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.ASSIGNED
    assert verification.verification_body == world.orgs["verification_body"]
    assert _sees(world.users["verifier"], computed)
    assert not _sees(other_verifier, computed)
    assert not _sees(world.users["admin_b"], computed)

    client = Client()
    client.force_login(world.users["verifier"])
    result = computed.latest_result()
    for url in (reverse("studies:study", args=[computed.pk]),
                reverse("studies:result", args=[computed.pk, result.number])):
        assert client.get(url).status_code == 200
    # Reading is all a verifier does to the study itself.
    assert client.post(reverse("studies:compute", args=[computed.pk])).status_code == 403
    other = Client()
    other.force_login(other_verifier)
    assert other.get(reverse("studies:study", args=[computed.pk])).status_code == 404

    with pytest.raises(VerificationError):
        start_review(verification, other_verifier)
    start_review(verification, world.users["verifier"])
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.IN_REVIEW


@pytest.mark.django_db
def test_a_body_with_a_conflict_of_interest_is_refused(computed: Study, world: World) -> None:
    ConflictOfInterest.objects.create(enterprise=world.orgs["enterprise_a"],
                                      verification_body=world.orgs["verification_body"],
                                      reason="consulted on this footprint")
    verification = submit(computed, world.users["admin_a"])
    with pytest.raises(VerificationError, match="利益冲突"):
        assign(verification, world.users["verifier"], world.users["certifier"])
    assert Verification.objects.get().status == VerificationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_resubmission_shows_what_changed(computed: Study, world: World) -> None:
    verification = submit(computed, world.users["admin_a"])
    # (Findings come next; here the verifier's request for changes is set directly.)
    Verification.objects.filter(pk=verification.pk).update(
        status=VerificationStatus.CHANGES_REQUESTED)
    Study.objects.filter(pk=computed.pk).update(status=StudyStatus.DRAFT)
    set_activity(computed, {"alumina": (1930, "t")}, world.users["admin_a"], "correction")
    compute_result(computed, world.users["admin_a"], "corrected")
    submit(computed, world.users["admin_a"])
    first, second = computed.snapshots.order_by("number")
    assert snapshot_diff(first, second) == [("alumina", [1920.0, "t"], [1930.0, "t"])]
    assert Verification.objects.get().status == VerificationStatus.IN_REVIEW


@pytest.mark.django_db
def test_the_whole_verification_through_the_pages(computed: Study, world: World) -> None:
    def as_(who: str) -> Client:
        client = Client()
        client.force_login(world.users[who])
        return client

    enterprise, certifier, verifier = as_("member_a"), as_("certifier"), as_("verifier")
    response = enterprise.post(reverse("verification:submit", args=[computed.pk]))
    verification = Verification.objects.get()
    assert response["Location"] == reverse("verification:detail", args=[verification.pk])

    def act(client: Client, action: str, **data: str) -> None:
        client.post(reverse("verification:act", args=[verification.pk, action]), data)

    act(certifier, "assign", verifier=str(world.users["verifier"].pk))
    act(verifier, "start")
    act(verifier, "finding", field_id="alumina", text="氧化铝单耗偏高",
        reason="与地磅单不符", severity="high")
    act(verifier, "sign-off", opinion="ok")  # refused: the finding is open
    assert Verification.objects.get().status == VerificationStatus.IN_REVIEW
    act(verifier, "request-changes")
    finding = verification.findings.get()
    enterprise.post(reverse("verification:finding", args=[finding.pk, "answer"]),
                    {"answer": "已按地磅单更正为 1930 吨"})
    set_activity(computed, {"alumina": (1930, "t")}, world.users["member_a"], "correction")
    compute_result(computed, world.users["member_a"], "corrected")
    enterprise.post(reverse("verification:submit", args=[computed.pk]))
    page = verifier.get(reverse("verification:detail", args=[verification.pk])).content.decode()
    assert "1930" in page and "1920" in page  # the diff between the two submissions
    verifier.post(reverse("verification:finding", args=[finding.pk, "close"]))
    act(verifier, "sign-off", opinion="数据与佐证一致。")
    verification.refresh_from_db()
    computed.refresh_from_db()
    assert verification.status == VerificationStatus.VERIFIED
    assert computed.status == StudyStatus.VERIFIED
    assert verification.opinion == "数据与佐证一致。"
    # Nobody else saw any of it.
    assert as_("admin_b").get(
        reverse("verification:detail", args=[verification.pk])).status_code == 404


@pytest.mark.django_db
def test_every_transition_is_in_the_ledger(computed: Study, world: World) -> None:
    from yuntan.platform.ledger.actions import verify_ledger
    from yuntan.platform.ledger.models import LedgerEntry

    verification = submit(computed, world.users["admin_a"])
    assign(verification, world.users["verifier"], world.users["certifier"])
    start_review(verification, world.users["verifier"])
    kinds = list(LedgerEntry.objects.filter(kind="verification.changed")
                 .order_by("sequence").values_list("payload__action", flat=True))
    assert kinds == ["submitted", "assigned", "review started"]
    assert verify_ledger().ok  # the chain is intact


@pytest.mark.django_db
def test_high_cross_check_findings_must_be_addressed_before_sign_off(study: Study,
                                                                     world: World) -> None:
    from yuntan.platform.verification.actions import respond_to_check, sign_off
    from yuntan.platform.verification.crosschecks import check_key

    # 1.5 t of alumina per t of aluminium: below the stoichiometric minimum.
    set_activity(study, {**ALUMINIUM, "alumina": (1500, "t")}, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = submit(study, world.users["admin_a"])
    checks = study.snapshots.get().checks
    high = [c for c in checks if c["severity"] == "high"]
    assert any("alumina" in c["fields"] for c in high)
    assign(verification, world.users["verifier"], world.users["certifier"])
    start_review(verification, world.users["verifier"])
    with pytest.raises(VerificationError, match="交叉校验"):  # Chinese first
        sign_off(verification, world.users["verifier"], "ok")
    for finding in high:
        respond_to_check(verification, world.users["verifier"], check_key(finding),
                         "Checked against the weighbridge tickets: a typo, see finding 1.")
    with pytest.raises(VerificationError):
        respond_to_check(verification, world.users["verifier"], "no:such:key", "x")
    sign_off(verification, world.users["verifier"], "ok")
    assert Verification.objects.get().status == VerificationStatus.VERIFIED


@pytest.mark.django_db
def test_the_people_concerned_are_notified(computed: Study, world: World, settings: Any,
                                           mailoutbox: Any) -> None:
    from yuntan.platform.verification.models import Notification

    world.users["certifier"].email = "cert@example.com"
    world.users["certifier"].save()
    settings.EMAIL_HOST = "mail.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        verification = submit(computed, world.users["admin_a"])
    assert [n.recipient.username for n in Notification.objects.all()] == ["certifier"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cert@example.com"]
    assign(verification, world.users["verifier"], world.users["certifier"])
    assert Notification.objects.filter(recipient=world.users["verifier"]).exists()

    client = Client()
    client.force_login(world.users["verifier"])
    assert "(1)" in client.get("/").content.decode()  # the header's unread count
    page = client.get(reverse("verification:notifications")).content.decode()
    assert "您被分配核查" in page
    assert "(1)" not in client.get("/").content.decode()  # read now
    other = Client()
    other.force_login(world.users["admin_b"])
    assert "您被分配核查" not in other.get(reverse("verification:notifications")).content.decode()
