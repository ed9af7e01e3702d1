"""HTML views of the front app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuntan.platform.front.health import check_health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "front/home.html")


def health(request: HttpRequest) -> HttpResponse:
    report = check_health()
    status = 200 if report["status"] == "ok" else 503
    return render(request, "front/health.html", {"report": report}, status=status)
