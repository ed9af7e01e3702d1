"""A corrected factor version is published: the studies that used the old one are listed
and recomputed in a background job that reports each footprint's change."""

from __future__ import annotations

from typing import Any

import pytest
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.factors.actions import (
    FactorValueInput,
    create_draft_version,
    publish_version,
    review_version,
)
from yuntan.platform.factors.models import FactorDataset, FactorVersion
from yuntan.platform.jobs.models import JobStatus
from yuntan.platform.jobs.runner import submit
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.studies.updates import affected_by, recompute_after_publication

GRID = "electricity-grid-average-CN-YN"


def _publish_correction(world: World, amount: float) -> FactorVersion:
    from django.contrib.auth.models import User

    old = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    second = User.objects.create_user("curator2")
    from yuntan.platform.accounts.models import Membership

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


@pytest.mark.django_db
def test_publishing_a_correction_recomputes_the_studies_that_used_the_old_one(
    study: Any, world: World, settings: Any
) -> None:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    before = compute_result(study, world.users["admin_a"], "compute")

    new = _publish_correction(world, 0.2)
    assert list(affected_by(new)) == [study]

    job = submit(recompute_after_publication, "recompute", {"version_id": new.pk},
                 user=world.users["curator"])
    assert job.status == JobStatus.SUCCEEDED, job.error
    (row,) = job.result["studies"]
    assert row["before"] == pytest.approx(before.total_kg_co2e)
    assert row["after"] - row["before"] == pytest.approx(13_500 * (0.2 - 0.1073))
    assert (job.done, job.total) == (1, 1)

    latest = study.latest_result()
    assert latest.number == 2 and "2022 → 2022-rev1" in latest.reason
    assert latest.inputs["factors"][GRID]["version"] == "2022-rev1"
    # The earlier result is kept as it was, with the version it used.
    assert study.results.get(number=1).inputs["factors"][GRID]["version"] == "2022"
    assert not list(affected_by(new))  # nothing left on the old version


@pytest.mark.django_db
def test_a_study_that_cannot_be_computed_is_reported(study: Any, world: World,
                                                     settings: Any) -> None:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    set_activity(study, {"alumina": None}, world.users["admin_a"], "form")  # now incomplete

    new = _publish_correction(world, 0.2)
    job = submit(recompute_after_publication, "recompute", {"version_id": new.pk})
    (row,) = job.result["studies"]
    assert row["after"] is None and row["error"]


@pytest.mark.django_db
def test_the_publisher_is_taken_to_the_recomputation(study: Any, world: World,
                                                     settings: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from yuntan.platform.accounts.models import Membership

    settings.YUNTAN_JOBS_BACKEND = "inline"
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    old = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    draft = create_draft_version(
        FactorDataset.objects.get(code=GRID), created_by=world.users["curator"],
        fields={"version": "2022-rev1", "region": old.region, "reference_year": 2022,
                "method": old.method, "supersedes": old, "source_publisher": "test",
                "source_document": "a test correction, not a real figure"},
        values=[FactorValueInput("CO2", "fossil", 0.2)])
    from django.contrib.auth.models import User

    reviewer = User.objects.create_user("curator2")
    Membership.objects.create(user=reviewer, organisation=world.orgs["province"],
                              role="factor_curator")
    review_version(draft, reviewer=reviewer)

    client = Client()
    client.force_login(world.users["curator"])
    response = client.post(reverse("factors:publish", args=[GRID, "2022-rev1"]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/jobs/")
    assert "甲铝业" in page  # the enterprise whose study was recomputed
    assert study.latest_result().number == 2
