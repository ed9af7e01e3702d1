"""Who sees cross-check data: whoever sees the product (readings) or the study (bills,
green documents) — the enterprise, the verifier assigned to one of its studies, the
certification body, platform administrators. Feed credentials only the enterprise's own
people and platform administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import rule, visible
from yuntan.platform.checkdata.models import (
    Bill,
    GreenDocument,
    MeterBatch,
    MeterFeed,
    MeterReading,
)
from yuntan.platform.studies.access_rules import enterprise_own
from yuntan.platform.studies.models import Product, Study


def _of_visible_products(user: Any) -> Q:
    return Q(product_id__in=visible(Product, user).values("pk"))


def _of_visible_studies(user: Any) -> Q:
    return Q(study_id__in=visible(Study, user).values("pk"))


@rule(MeterBatch)
def _batches(user: Any) -> Q | None:
    return _of_visible_products(user)


@rule(MeterReading)
def _readings(user: Any) -> Q | None:
    return _of_visible_products(user)


@rule(Bill)
def _bills(user: Any) -> Q | None:
    return _of_visible_studies(user)


@rule(GreenDocument)
def _green_documents(user: Any) -> Q | None:
    return _of_visible_studies(user)


@rule(MeterFeed)
def _feeds(user: Any) -> Q | None:
    return enterprise_own(user, "product__organisation_id")
