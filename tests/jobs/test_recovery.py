"""Jobs interrupted by a crash are found on start: restarted when they never started or can
simply run again, else failed with what they did rolled back and their uploads removed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.processes import process_alive, process_token
from yuntan.platform.jobs.recovery import (
    INTERRUPTED,
    recover_interrupted_jobs,
    remove_stale_uploads,
)
from yuntan.platform.jobs.runner import submit

HERE = Path(__file__).resolve().parent
LCI_IMPORT = "yuntan.platform.lci.importer.import_lci_database"

CRASH = r'''
import django
django.setup()
from yuntan.platform.jobs.models import Job
from yuntan.platform.jobs.processes import process_token
from yuntan.platform.jobs.runner import submit
import sample_jobs

# Waiting in this process's thread pool when it dies; and running, but resumable.
Job.objects.create(function="sample_jobs.create_dataset", title="queued",
                   params={"code": "queued-before-crash"}, backend="thread",
                   runner=process_token())
Job.objects.create(function="sample_jobs.create_dataset_again", title="resumable",
                   params={"code": "resumed-after-crash"}, backend="thread",
                   status="running", runner=process_token())
submit(sample_jobs.crash_in_transaction, "crash", {"code": "half-done"})
'''

RECOVER = r'''
import json
import django
django.setup()
from yuntan.platform.factors.models import FactorDataset
from yuntan.platform.jobs.models import Job
from yuntan.platform.jobs.recovery import recover_interrupted_jobs
from yuntan.platform.jobs.runner import wait_for_threads

report = recover_interrupted_jobs(backend="thread")
wait_for_threads()
print(json.dumps({
    "jobs": {job.title: [job.status, job.error] for job in Job.objects.all()},
    "datasets": sorted(FactorDataset.objects.values_list("code", flat=True)),
    "restarted": len(report.restarted), "failed": len(report.failed)}))
'''


def test_a_crash_is_found_on_start_and_its_work_rolled_back(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YUNTAN_", "DATABASE_URL"))}
    env.update({"YUNTAN_DATA_DIR": str(tmp_path), "YUNTAN_JOBS_BACKEND": "inline",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'yuntan.sqlite3'}",
                "DJANGO_SETTINGS_MODULE": "yuntan.platform.settings",
                "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])})
    subprocess.run([sys.executable, "-m", "yuntan.cli", "manage", "migrate", "--noinput"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    crashed = subprocess.run([sys.executable, "-c", CRASH], env=env, capture_output=True)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    recovered = subprocess.run([sys.executable, "-c", RECOVER], env=env, capture_output=True,
                               text=True, check=True)
    state = json.loads(recovered.stdout.strip().splitlines()[-1])
    assert state["jobs"]["crash"] == ["failed", INTERRUPTED]
    assert state["jobs"]["queued"][0] == "succeeded"
    assert state["jobs"]["resumable"][0] == "succeeded"
    # The crashed job's transaction was rolled back; the restarted jobs did their work.
    assert state["datasets"] == ["queued-before-crash", "resumed-after-crash"]
    assert (state["restarted"], state["failed"]) == (2, 1)


def _dead_process_token() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:"


def test_a_dead_process_is_told_from_a_live_one() -> None:
    assert process_alive(process_token()) is True
    assert process_alive(_dead_process_token()) is False
    assert process_alive("another-host.example:1:1") is None


def test_a_reused_pid_is_not_taken_for_the_dead_process() -> None:
    host, pid, start = process_token().split(":")
    if not start:
        pytest.skip("no /proc here: process start times are unknown")
    assert process_alive(f"{host}:{pid}:{int(start) + 1}") is False


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.YUNTAN_JOBS_BACKEND = "inline"
    return tmp_path


def _package(data_dir: Path, name: str = "f" * 64) -> Path:
    folder = data_dir / "lci"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.zip"
    path.write_bytes(b"not a zip at all")
    return path


@pytest.mark.django_db
def test_a_failed_lci_import_removes_its_upload(data_dir: Path) -> None:
    from yuntan.platform.lci.importer import import_lci_database

    path = _package(data_dir)
    job = submit(import_lci_database, "bad package", {
        "path": str(path), "name": "bad", "organisation_id": None, "file_name": "bad.zip",
        "sha256": "f" * 64, "size": path.stat().st_size})
    assert job.status == JobStatus.FAILED
    assert not path.exists()


@pytest.mark.django_db
def test_an_interrupted_import_is_failed_and_its_upload_removed(data_dir: Path) -> None:
    path = _package(data_dir)
    job = Job.objects.create(function=LCI_IMPORT, title="import", backend="thread",
                             status=JobStatus.RUNNING, runner=_dead_process_token(),
                             params={"path": str(path), "sha256": "f" * 64})
    report = recover_interrupted_jobs()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, INTERRUPTED)
    assert job.finished_at is not None
    assert report.failed == [str(job.pk)]
    assert not path.exists()


@pytest.mark.django_db
def test_jobs_of_live_processes_and_other_hosts_are_left_alone(data_dir: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        token = process_token().replace(f":{os.getpid()}:", f":{sleeper.pid}:")
        token = token.rsplit(":", 1)[0] + ":"  # its start time is not ours
        live = Job.objects.create(function=LCI_IMPORT, title="live", backend="thread",
                                  status=JobStatus.RUNNING, runner=token)
        remote = Job.objects.create(function=LCI_IMPORT, title="remote", backend="dask",
                                    status=JobStatus.RUNNING, runner="worker-7.example:12:34")
        waiting = Job.objects.create(function=LCI_IMPORT, title="dask, not claimed",
                                     backend="dask")
        recover_interrupted_jobs()
    finally:
        sleeper.kill()
        sleeper.wait()
    for job in (live, remote):
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.QUEUED


def test_abandoned_temporary_uploads_are_removed(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    (tmp_path / "lci").mkdir()
    old, fresh = tmp_path / "lci" / ".upload-old", tmp_path / "lci" / ".upload-fresh"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    long_ago = time.time() - 2 * 3600
    os.utime(old, (long_ago, long_ago))
    assert remove_stale_uploads() == [str(old)]
    assert fresh.exists() and not old.exists()
