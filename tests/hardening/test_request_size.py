"""Every request body and upload has a size limit (HTTP 413 before anything reads it, then
each form's own limit)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from yuntan.platform.exchange.models import ReceivedFootprint
from yuntan.platform.studies.models import Study


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/meter-readings", "/3/events", "/accounts/login/"])
def test_a_body_larger_than_any_upload_is_refused_unread(client: Client, settings: Any,
                                                         path: str) -> None:
    too_large = settings.YUNTAN_REQUEST_MAX_BYTES + 1
    response = client.generic("POST", path, b"{}", content_type="application/json",
                              CONTENT_LENGTH=str(too_large))
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_the_request_limit_covers_the_largest_upload(settings: Any) -> None:
    largest = max(settings.YUNTAN_UPLOAD_MAX_MB, settings.YUNTAN_EVIDENCE_MAX_MB)
    assert largest * 1024 * 1024 < settings.YUNTAN_REQUEST_MAX_BYTES


@pytest.mark.django_db
def test_a_study_template_upload_has_a_limit(study: Study, world: World,
                                             settings: Any) -> None:
    settings.YUNTAN_WORKBOOK_MAX_MB = 1
    client = Client()
    client.force_login(world.users["admin_a"])
    upload = SimpleUploadedFile("big.xlsx", b"\0" * (1024 * 1024 + 1))
    response = client.post(reverse("studies:upload", args=[study.pk]),
                           {"file": upload}, follow=True)
    assert "1 MB" in response.content.decode()
    assert not study.activity.exists()


@pytest.mark.django_db
def test_a_pact_file_is_refused_by_its_size_before_it_is_read(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuntan.platform.exchange import suppliers

    monkeypatch.setattr(suppliers, "MAX_FILE_MB", 1)
    client = Client()
    client.force_login(world.users["admin_a"])
    upload = SimpleUploadedFile("big.json", b" " * (1024 * 1024 + 1))
    response = client.post(reverse("exchange:suppliers"), {"action": "import",
                                                           "file": upload})
    assert response.status_code == 400
    assert "1 MB" in response.content.decode()
    assert not ReceivedFootprint.objects.exists()
