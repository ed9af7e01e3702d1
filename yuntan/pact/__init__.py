"""PACT (WBCSD Technical Specifications for PCF Data Exchange) v3.0 and v2.3, pure Python.

Writing our footprints (:func:`facts_from_outcome`, :func:`to_v3`, :func:`to_v2`), reading
suppliers' (:func:`parse_footprint`, :func:`per_unit`), events, error bodies and the v3
ListFootprints filters, all checked against the official OpenAPI files vendored in
``yuntan/data/pact`` (:mod:`yuntan.pact.schema`). No Django here: the platform calls these.
"""

from yuntan.pact.api import (
    ERRORS,
    FootprintFilters,
    error_code,
    error_response,
    invalid_token_response,
    matches,
    parse_filters,
    validity_period,
)
from yuntan.pact.errors import (
    InvalidFilter,
    MalformedEvent,
    NotExpressible,
    PactError,
    SchemaViolation,
    UnknownSpecVersion,
    Violation,
)
from yuntan.pact.events import (
    EVENT_TYPES,
    EventKind,
    PactEvent,
    parse_event,
    published_event,
    request_created_event,
    request_fulfilled_event,
    request_rejected_event,
)
from yuntan.pact.mapping import (
    SPEC_VERSION_V2,
    SPEC_VERSION_V3,
    decimal_string,
    facts_from_outcome,
    pact_declared_unit,
    to_v2,
    to_v3,
    v2_dqr,
)
from yuntan.pact.model import (
    Assurance,
    CarbonFigures,
    DataQualityScores,
    DeclaredUnit,
    EmissionFactorSource,
    FootprintFacts,
    SectorRule,
    Status,
    SupplierDqi,
    SupplierPcf,
)
from yuntan.pact.reading import parse_footprint, per_unit
from yuntan.pact.schema import (
    response_violations,
    schema_names,
    spec,
    validate,
    validate_response,
    violations,
)

__all__ = [
    "ERRORS", "EVENT_TYPES", "SPEC_VERSION_V2", "SPEC_VERSION_V3", "Assurance",
    "CarbonFigures", "DataQualityScores", "DeclaredUnit", "EmissionFactorSource", "EventKind",
    "FootprintFacts", "FootprintFilters", "InvalidFilter", "MalformedEvent", "NotExpressible",
    "PactError", "PactEvent", "SchemaViolation", "SectorRule", "Status", "SupplierDqi",
    "SupplierPcf", "UnknownSpecVersion", "Violation", "decimal_string", "error_code",
    "error_response", "facts_from_outcome", "invalid_token_response", "matches",
    "pact_declared_unit", "parse_event", "parse_filters", "parse_footprint", "per_unit",
    "published_event", "request_created_event", "request_fulfilled_event",
    "request_rejected_event", "response_violations", "schema_names", "spec", "to_v2",
    "to_v3", "v2_dqr", "validate", "validate_response", "validity_period", "violations",
]
