"""Exchange objects belong to the data owner: its own people see them (and platform
administrators); nobody else, not even its verifier."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, membership_of, rule
from yuntan.platform.accounts.models import Role
from yuntan.platform.exchange.models import (
    Customer,
    FootprintRequest,
    OutgoingRequest,
    ReceivedFootprint,
    SharedFootprint,
    Supplier,
)
from yuntan.platform.studies.access_rules import ENTERPRISE_ROLES


def _own(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    if membership.role in ENTERPRISE_ROLES:
        return Q(organisation_id=membership.organisation_id)
    return None


@rule(SharedFootprint)
def _footprints(user: Any) -> Q | None:
    return _own(user)


@rule(Customer)
def _customers(user: Any) -> Q | None:
    return _own(user)


@rule(FootprintRequest)
def _requests(user: Any) -> Q | None:
    return _own(user)


@rule(Supplier)
def _suppliers(user: Any) -> Q | None:
    return _own(user)


@rule(ReceivedFootprint)
def _received(user: Any) -> Q | None:
    return _own(user)


@rule(OutgoingRequest)
def _outgoing(user: Any) -> Q | None:
    return _own(user)
