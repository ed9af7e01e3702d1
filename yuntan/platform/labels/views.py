"""The public label page (no sign-in: what the QR code opens), the label's files, the
published keys, and the certification body's actions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yuntan.labels import published_keys_json, verify_document
from yuntan.labels.image import label_png, label_svg
from yuntan.labels.qr import qr_svg
from yuntan.labels.signing import read_document
from yuntan.platform.accounts.access import get_or_404
from yuntan.platform.labels import actions
from yuntan.platform.labels.models import Label
from yuntan.platform.verification.actions import VerificationError
from yuntan.platform.verification.models import Verification
from yuntan.platform.verification.views import run_step


def _label(number: str) -> Label:
    # Labels are public by design: whoever holds the number (the QR code) may check it.
    return get_object_or_404(Label, number=number)


def _current(response: HttpResponse, state: actions.LabelState) -> HttpResponse:
    """A label's page and files always say its current status: never cached."""
    patch_cache_control(response, no_store=True, no_cache=True, max_age=0)
    response["X-Label-Status"] = state.status
    return response


@never_cache
def public(request: HttpRequest, number: str) -> HttpResponse:
    label = _label(number)
    doc = read_document(actions.document_text(label))
    outcome = verify_document(doc, actions.published_keys())
    state = actions.label_state(label)
    url = request.build_absolute_uri()
    return _current(render(request, "labels/public.html", {
        "label": label, "content": doc.signed.content, "outcome": outcome,
        "status": state.status, "disagreements": state.disagreements,
        "overdue": label.surveillance_overdue(),
        "qr": mark_safe(qr_svg(url)),  # segno's SVG of our own URL
    }), state)


def document_file(request: HttpRequest, number: str) -> HttpResponse:
    label = _label(number)
    state = actions.label_state(label)
    # The signed document as issued, plus its current status (outside the signature: the
    # ledger records it), so a copy fetched after a revocation says so.
    data = {**label.document, "status": {
        "status": state.status, "reason": label.status_reason,
        "consistent_with_ledger": not state.disagreements,
        "note": "not covered by the signature; check the public page for the current status"}}
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{label.number}.json"'
    return _current(response, state)


def image(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    label = _label(number)
    content = read_document(actions.document_text(label)).signed.content
    state = actions.label_state(label)
    status = state.status if not state.disagreements else "disputed"
    url = request.build_absolute_uri(actions.public_url(label.number))
    if fmt == "svg":
        return _current(HttpResponse(label_svg(content, url, status),
                                     content_type="image/svg+xml"), state)
    if fmt == "png":
        return _current(HttpResponse(label_png(content, url, status=status),
                                     content_type="image/png"), state)
    raise Http404("unknown image format")


def keys(request: HttpRequest) -> HttpResponse:
    return HttpResponse(published_keys_json(actions.published_keys()),
                        content_type="application/json")


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    verification = get_or_404(Verification, request.user, pk=pk)
    try:
        label = actions.issue(verification, request.user, request.build_absolute_uri("/"))
    except VerificationError as exc:
        messages.error(request, str(exc))
        return redirect("verification:detail", pk=verification.pk)
    messages.success(request, _("Label %(number)s issued and signed.") % {"number": label.number})
    return redirect("labels:public", number=label.number)


@login_required
@require_POST
def change_status(request: HttpRequest, number: str) -> HttpResponse:
    label = _label(number)
    run_step(request, {"status": lambda: actions.set_status(
        label, request.user, request.POST.get("status", ""), request.POST.get("reason", ""))},
        "status")
    return redirect("labels:public", number=label.number)


@login_required
@require_POST
def surveillance(request: HttpRequest, number: str) -> HttpResponse:
    label = _label(number)
    run_step(request, {"surveillance": lambda: actions.record_surveillance(
        label, request.user, request.POST.get("outcome", ""))}, "surveillance")
    return redirect("labels:public", number=label.number)
