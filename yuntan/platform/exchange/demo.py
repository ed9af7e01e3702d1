"""The demo's supply-chain exchange: the verified aluminium footprint shared through PACT
and granted to a demo buyer, whose credentials are printed once (when created)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yuntan.platform.exchange import services
from yuntan.platform.exchange.models import Customer, SharedFootprint
from yuntan.platform.studies.models import Study

DEMO_HOST = "127.0.0.1:8000"
BUYER = "示例买方（演示）/ Demo buyer"


@transaction.atomic
def share_demo(study: Study, user: Any) -> tuple[SharedFootprint, Customer, str | None]:
    """The study's shared footprint and the demo buyer (its secret only when just made)."""
    footprint = SharedFootprint.objects.filter(study=study).order_by("-created_at").first()
    if footprint is None:
        footprint = services.share(study, user, DEMO_HOST)
    organisation = study.product.organisation
    customer = Customer.objects.filter(organisation=organisation, name=BUYER).first()
    secret = None
    if customer is None:
        customer, secret = services.create_customer(organisation, BUYER, user)
    customer.footprints.add(footprint)
    return footprint, customer, secret
