"""`yuntan manage`, WSGI and ASGI all start the platform with its settings."""

from __future__ import annotations

import os

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler

from yuntan.platform.manage import SETTINGS_MODULE, run


def test_run_passes_the_system_checks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "someone.elses.settings")
    run(["check"])
    assert "System check identified no issues" in capsys.readouterr().out
    assert os.environ["DJANGO_SETTINGS_MODULE"] == SETTINGS_MODULE


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys: pytest.CaptureFixture[str]) -> None:
    run(["makemigrations", "--check", "--dry-run"])
    assert "No changes detected" in capsys.readouterr().out


def test_an_unknown_command_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["no-such-command"])
    assert exit_info.value.code == 1
    assert "Unknown command" in capsys.readouterr().err


def test_the_wsgi_and_asgi_applications_load() -> None:
    from yuntan.platform.asgi import application as asgi_application
    from yuntan.platform.wsgi import application as wsgi_application

    assert isinstance(wsgi_application, WSGIHandler)
    assert isinstance(asgi_application, ASGIHandler)
