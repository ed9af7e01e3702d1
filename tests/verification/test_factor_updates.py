"""A corrected factor version never rewrites a verified or labelled result: the
recomputation stands beside it, the enterprise, its verifier and the certification body are
told the footprint before and after, and the certification body decides (ledgered) whether
the study is verified again."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.accounts.models import Membership, Organisation
from yuntan.platform.factors.actions import (
    FactorValueInput,
    create_draft_version,
    publish_version,
    review_version,
)
from yuntan.platform.factors.models import FactorDataset, FactorVersion
from yuntan.platform.jobs.models import JobStatus
from yuntan.platform.jobs.runner import submit
from yuntan.platform.labels import actions as labels
from yuntan.platform.ledger.actions import verify_ledger
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.studies.updates import recompute_after_publication
from yuntan.platform.verification import actions
from yuntan.platform.verification.factor_updates import FactorUpdateError, decide
from yuntan.platform.verification.models import FactorUpdateDecision, Notification

GRID = "electricity-grid-average-CN-YN"


def _publish_correction(world: World, amount: float) -> FactorVersion:
    old = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    second = type(world.users["curator"]).objects.create_user("curator2")
    Membership.objects.create(user=second, organisation=world.orgs["province"],
                              role="factor_curator")
    draft = create_draft_version(
        FactorDataset.objects.get(code=GRID), created_by=world.users["curator"],
        fields={"version": "2022-rev1", "region": old.region, "reference_year": 2022,
                "method": old.method, "supersedes": old, "source_publisher": "test",
                "source_document": "a test correction, not a real figure",
                "source_quality": "unverified"},
        values=[FactorValueInput("CO2", "fossil", amount, "test value")])
    review_version(draft, reviewer=second)
    return publish_version(draft, publisher=second)


@pytest.fixture
def labelled(study: Study, world: World, settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    settings.YUNTAN_JOBS_BACKEND = "inline"
    call_command("label_keys", "--rotate", stdout=StringIO())
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    actions.sign_off(verification, world.users["verifier"], "数据与佐证一致。")
    return labels.issue(verification, world.users["certifier"], "http://testserver/")


def _recompute(world: World, amount: float) -> Any:
    new = _publish_correction(world, amount)
    job = submit(recompute_after_publication, "recompute", {"version_id": new.pk},
                 user=world.users["curator"])
    assert job.status == JobStatus.SUCCEEDED, job.error
    return new, job


@pytest.mark.django_db
def test_a_correction_leaves_the_verified_result_and_the_label(labelled: Any,
                                                               world: World) -> None:
    study = labelled.verification.study
    verified = study.latest_result()
    document = dict(labelled.document)
    new, job = _recompute(world, 0.2)

    assert study.latest_result() == verified  # still the study's result, as it was
    assert study.pins.get(dataset__code=GRID).version.version == "2022"
    proposed = study.results.get(proposed=True)
    assert proposed.inputs["factors"][GRID]["version"] == "2022-rev1"
    assert proposed.total_kg_co2e - verified.total_kg_co2e == pytest.approx(
        13_500 * (0.2 - 0.1073))
    labelled.refresh_from_db()
    assert labelled.document == document
    (row,) = job.result["studies"]
    assert (row["before"], row["after"]) == (verified.total_kg_co2e, proposed.total_kg_co2e)

    review = labelled.verification.factor_updates.get()
    assert (review.verified_result, review.proposed_result) == (verified, proposed)
    assert review.decision == FactorUpdateDecision.PENDING
    told = set(Notification.objects.filter(text_en__contains="2022-rev1")
               .values_list("recipient__username", flat=True))
    assert {"admin_a", "verifier", "certifier"} <= told
    text = Notification.objects.filter(recipient=world.users["admin_a"],
                                       text_en__contains="2022-rev1").get().text_en
    assert f"{verified.total_kg_co2e:,.4g}" in text and f"{proposed.total_kg_co2e:,.4g}" in text
    assert LedgerEntry.objects.filter(kind="factor_update.proposed").count() == 1
    assert verify_ledger().ok

    _recompute_again = submit(recompute_after_publication, "again", {"version_id": new.pk},
                              user=world.users["curator"])
    assert _recompute_again.status == JobStatus.SUCCEEDED
    assert study.results.filter(proposed=True).count() == 1


@pytest.mark.django_db
def test_the_certification_body_decides_on_its_page(labelled: Any, world: World) -> None:
    _recompute(world, 0.2)
    verification = labelled.verification
    review = verification.factor_updates.get()
    client = Client()
    client.force_login(world.users["certifier"])
    page = client.get(reverse("verification:detail", args=[verification.pk])).content.decode()
    assert 'id="factor-updates"' in page and 'value="reverify"' in page
    client.post(reverse("verification:act", args=[verification.pk, "factor-update"]),
                {"review": review.pk, "decision": "reverify", "reason": "差异超过 5%"})
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("reverify", world.users["certifier"])
    entry = LedgerEntry.objects.get(kind="factor_update.decided")
    assert entry.payload["decision"] == "reverify"
    assert Notification.objects.filter(recipient=world.users["admin_a"],
                                       text_en__contains="re-verification needed").exists()
    with pytest.raises(FactorUpdateError):
        decide(review, world.users["certifier"], "keep", "changed my mind")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["verifier", "admin_a", "other_certifier"])
def test_only_the_issuing_certification_body_decides(labelled: Any, world: World,
                                                     who: str) -> None:
    _recompute(world, 0.2)
    review = labelled.verification.factor_updates.get()
    if who == "other_certifier":
        body = Organisation.objects.create(kind="certification_body", name_zh="另一认证机构")
        user = type(world.users["certifier"]).objects.create_user("certifier-2")
        Membership.objects.create(user=user, organisation=body, role="certifier")
    else:
        user = world.users[who]
    with pytest.raises(FactorUpdateError):
        decide(review, user, "keep", "no")
    review.refresh_from_db()
    assert review.decision == FactorUpdateDecision.PENDING
