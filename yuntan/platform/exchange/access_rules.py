"""Exchange objects belong to the data owner: its own people see them (and platform
administrators); nobody else, not even its verifier."""

from __future__ import annotations

from yuntan.platform.accounts.access import rule
from yuntan.platform.exchange.models import (
    Customer,
    FootprintRequest,
    OutgoingRequest,
    ReceivedFootprint,
    SharedFootprint,
    Supplier,
)
from yuntan.platform.studies.access_rules import enterprise_own

for _model in (SharedFootprint, Customer, FootprintRequest, Supplier, ReceivedFootprint,
               OutgoingRequest):
    rule(_model)(enterprise_own)
