"""Background jobs: every backend runs the job and records progress, result and problems;
only the job's owner and platform administrators can see it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import distributed
import pytest
import sample_jobs
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from yuntan.platform.factors.models import FactorDataset
from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.runner import submit, wait_for_threads


@pytest.fixture
def inline(settings: Any) -> None:
    settings.YUNTAN_JOBS_BACKEND = "inline"


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user("owner", password="pw-owner-123")


@pytest.mark.django_db
def test_inline_job_records_progress_and_result(inline: None, owner: User) -> None:
    job = submit(sample_jobs.count_to, "count", {"n": 4}, user=owner)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"counted": 4}
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    assert job.message == "step 3"
    assert job.started_at is not None and job.finished_at is not None
    assert job.started_at <= job.finished_at
    assert job.created_by == owner
    assert job.function == "sample_jobs.count_to"


@pytest.mark.django_db
def test_a_failed_job_keeps_every_problem(inline: None) -> None:
    job = submit(sample_jobs.fail_with_problems, "bad file")
    assert job.status == JobStatus.FAILED
    assert job.error == "2 problems in the file"
    assert [p["record"] for p in job.problems] == ["row 3", "row 9"]
    assert job.problems[0]["field"] == "unit"


@pytest.mark.django_db
def test_a_core_error_is_shown_as_it_is(inline: None) -> None:
    job = submit(sample_jobs.fail_with_core_error, "solve")
    assert job.status == JobStatus.FAILED
    assert job.error == "the technosphere matrix is singular"
    assert job.problems == []


@pytest.mark.django_db
def test_an_unexpected_error_hides_its_detail(inline: None, caplog: Any) -> None:
    job = submit(sample_jobs.crash, "crash")
    assert job.status == JobStatus.FAILED
    assert "secret internal detail" not in job.error
    assert "KeyError" in job.error and "内部错误" in job.error
    assert "secret internal detail" in caplog.text  # the server log has it


@pytest.mark.django_db
def test_only_marked_functions_can_be_jobs(inline: None) -> None:
    with pytest.raises(ValueError, match="not marked @job_function"):
        submit(sample_jobs.not_marked, "refused")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_job_runs_once(inline: None) -> None:
    from yuntan.platform.jobs.runner import execute

    job = submit(sample_jobs.create_dataset, "make", {"code": "made-once"})
    execute(job.pk)  # again: refused, the job is no longer queued
    assert FactorDataset.objects.filter(code="made-once").count() == 1


@pytest.fixture
def thread_backend(settings: Any) -> Iterator[None]:
    settings.YUNTAN_JOBS_BACKEND = "thread"
    yield
    wait_for_threads()


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_after_commit(thread_backend: None) -> None:
    job = submit(sample_jobs.create_dataset, "in a thread", {"code": "from-thread"})
    wait_for_threads()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.backend == "thread"
    assert FactorDataset.objects.filter(code="from-thread").exists()


@pytest.mark.django_db(transaction=True)
def test_dask_backend_runs_on_a_cluster(settings: Any) -> None:
    from yuntan.platform.jobs import runner

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        settings.YUNTAN_JOBS_BACKEND = "dask"
        settings.YUNTAN_DASK_SCHEDULER = cluster.scheduler_address
        runner._client = None
        try:
            job = submit(sample_jobs.count_to, "on dask", {"n": 3})
            for _ in range(400):  # up to 20 s for the worker to pick it up
                if Job.objects.get(pk=job.pk).finished:
                    break
                time.sleep(0.05)
            job.refresh_from_db()
            assert job.status == JobStatus.SUCCEEDED, job.error
            assert job.result == {"counted": 3}
            assert job.backend == "dask"
        finally:
            runner._client.close()
            runner._client = None


# --- who sees a job -----------------------------------------------------------------------

@pytest.fixture
def job(inline: None, owner: User) -> Job:
    return submit(sample_jobs.fail_with_problems, "owner's import", user=owner)


def _client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [
    ("anonymous", 404), ("stranger", 404), ("owner", 200), ("superuser", 200),
])
def test_job_api_is_private(job: Job, owner: User, who: str, status: int) -> None:
    users = {
        "anonymous": None,
        "stranger": User.objects.create_user("stranger"),
        "owner": owner,
        "superuser": User.objects.create_user("root", is_staff=True, is_superuser=True),
    }
    response = _client_for(users[who]).get(f"/api/jobs/{job.pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["status"] == "failed"
        assert body["finished"] is True
        assert [p["record"] for p in body["problems"]] == ["row 3", "row 9"]


@pytest.mark.django_db
def test_unknown_job_is_404(owner: User) -> None:
    assert _client_for(owner).get(f"/api/jobs/{uuid.uuid4()}").status_code == 404
    assert _client_for(owner).get(
        reverse("jobs:detail", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [("stranger", 404), ("owner", 200), ("superuser", 200)])
def test_job_page_is_private(job: Job, owner: User, who: str, status: int) -> None:
    users = {"stranger": User.objects.create_user("stranger"), "owner": owner,
             "superuser": User.objects.create_user("root", is_staff=True, is_superuser=True)}
    response = _client_for(users[who]).get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "unknown unit &#x27;kwh2&#x27;" in page
        assert "row 9" in page
        assert "出错原因" in page and "发现 2 个问题，未做任何更改。" in page  # Chinese first


@pytest.mark.django_db
def test_job_pages_need_sign_in(job: Job) -> None:
    for url in (reverse("jobs:list"), reverse("jobs:detail", args=[job.pk])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_job_list_shows_only_own_jobs(job: Job, owner: User) -> None:
    stranger = User.objects.create_user("stranger")
    assert "owner&#x27;s import" in _client_for(owner).get(reverse("jobs:list")).content.decode()
    assert "owner&#x27;s import" not in _client_for(stranger).get(
        reverse("jobs:list")).content.decode()
