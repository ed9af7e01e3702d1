"""The government's overview: what the enterprises in its jurisdiction account, in numbers
that reveal no single enterprise (counts, and averages only where the platform's own rule
for provincial factors allows: at least three enterprises, none dominant)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuntan.identifiers import prefecture
from yuntan.platform.accounts.access import jurisdiction, membership_of, visible
from yuntan.platform.accounts.models import GovernmentLevel, Organisation, Role
from yuntan.platform.studies.aggregate import AggregationRefused, aggregate
from yuntan.platform.studies.models import Result, Study, StudyStatus
from yuntan.rules import get_pack

VIEWERS = (Role.GOVERNMENT_VIEWER, Role.PLATFORM_ADMIN)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.role not in VIEWERS:
        raise PermissionDenied
    enterprises = Organisation.objects.filter(kind="enterprise")
    region = "CN-YN"
    if membership.role == Role.GOVERNMENT_VIEWER:
        scope = jurisdiction(request.user)
        assert scope is not None
        enterprises = enterprises.filter(scope)
        org = membership.organisation
        if org.government_level == GovernmentLevel.PREFECTURE:
            region = org.prefecture
    studies = (Study.objects.filter(product__organisation__in=enterprises,
                                    scenario_of__isnull=True)
               .select_related("product__organisation")
               .annotate(computed=Exists(Result.objects.filter(study=OuterRef("pk")))))
    # Counts per rule pack and variant, reference year and prefecture.
    groups: dict[tuple[str, str, int], dict[str, Any]] = defaultdict(
        lambda: {"enterprises": set(), "studies": 0, "computed": 0, "verified": 0,
                 "prefectures": defaultdict(set)})
    for study in studies:
        key = (study.rule_pack_id, study.variant, study.period_end.year)
        group = groups[key]
        org = study.product.organisation
        group["enterprises"].add(org.pk)
        group["prefectures"][org.prefecture].add(org.pk)
        group["studies"] += 1
        group["computed"] += study.computed
        group["verified"] += study.status == StudyStatus.VERIFIED
    rows = []
    for (pack_id, variant, year), group in sorted(groups.items()):
        pack = get_pack(pack_id)
        try:
            average = aggregate(pack_id, variant, year, region)
        except AggregationRefused as exc:
            average, note = None, str(exc)
        else:
            note = ""
        rows.append({
            "pack": pack, "variant": pack.variant(variant or None), "year": year,
            "enterprises": len(group["enterprises"]), "studies": group["studies"],
            "computed": group["computed"], "verified": group["verified"],
            "prefectures": sorted((prefecture(code), len(orgs))
                                  for code, orgs in group["prefectures"].items() if code),
            "average": average, "note": note,
        })
    return render(request, "studies/overview.html", {
        "rows": rows, "region": region,
        "enterprise_count": visible(Organisation, request.user).filter(
            kind="enterprise").count(),
    })
