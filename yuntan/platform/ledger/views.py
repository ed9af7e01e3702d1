"""The ledger's pages: the public keys and each checkpoint as JSON are public (they carry
no payload); the entries themselves only platform administrators see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from yuntan.platform.accounts.access import is_platform_admin, visible
from yuntan.platform.ledger.actions import verify_ledger
from yuntan.platform.ledger.keys import public_keys
from yuntan.platform.ledger.models import LedgerCheckpoint, LedgerEntry

ENTRIES_SHOWN = 200


def keys(request: HttpRequest) -> HttpResponse:
    checkpoints = LedgerCheckpoint.objects.order_by("-number")[:20]
    return render(request, "ledger/keys.html", {"keys": public_keys(),
                                                "checkpoints": checkpoints})


def checkpoint_json(request: HttpRequest, number: int) -> JsonResponse:
    found = LedgerCheckpoint.objects.filter(number=number).first()
    if found is None:
        raise Http404("no such checkpoint")
    return JsonResponse({"number": found.number, **found.as_core().to_json()},
                        json_dumps_params={"indent": 2})


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise PermissionDenied
    rows = list(visible(LedgerEntry, request.user).order_by("-sequence")[:ENTRIES_SHOWN])
    verification = verify_ledger() if rows else None
    return render(request, "ledger/entries.html", {"entries": rows,
                                                   "verification": verification})
