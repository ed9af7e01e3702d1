"""The HTTP side of PACT without HTTP: error bodies with their status, and the v3
ListFootprints filters as a pure predicate (筛选条件).

v2's OData ``$filter`` is optional for hosts (v2.3 §ListFootprints): a host that does not
implement it MUST behave as if no filter was given, which is what we do (docs/pact.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from yuntan.pact.errors import InvalidFilter
from yuntan.pact.mapping import to_v3
from yuntan.pact.model import FootprintFacts
from yuntan.pact.schema import major

# code -> (HTTP status, default message). Spec text (v2.3 "Error codes"); NotImplemented is
# 400 as the text says (the OpenAPI enum comments 501).
ERRORS: dict[str, tuple[int, str]] = {
    "AccessDenied": (403, "Access denied"),
    "BadRequest": (400, "Bad Request"),
    "NoSuchFootprint": (404, "The specified footprint does not exist."),
    "NotFound": (404, "The specified footprint does not exist."),
    "NotImplemented": (400, "The specified Action or header you provided implies "
                            "functionality that is not implemented"),
    "TokenExpired": (401, "The specified access token has expired"),
    "InternalError": (500, "An internal or unexpected error has occurred"),
}


def error_code(code: str, version: str) -> str:
    """The 404 code is written ``NotFound`` in both versions: the Error enum of both
    official OpenAPI files has only that spelling (annotated ``# 404 NoSuchFootprint``),
    so every response validates against them; the v2 spec text's ``NoSuchFootprint`` is
    accepted as input. Other codes unchanged."""
    if code not in ERRORS:
        raise ValueError(f"unknown PACT error code {code!r}; use one of {', '.join(ERRORS)}")
    if code in ("NoSuchFootprint", "NotFound"):
        return "NotFound"
    return code


def error_response(code: str, version: str,
                   message: str | None = None) -> tuple[int, dict[str, str]]:
    """``(HTTP status, JSON body)`` of the spec's error response for ``code``, e.g.
    ``error_response("AccessDenied", "3")`` → ``(403, {"code": "AccessDenied", ...})``."""
    written = error_code(code, version)
    status, default = ERRORS[written]
    return status, {"code": written, "message": message or default}


def invalid_token_response(version: str) -> tuple[int, dict[str, str]]:
    """A missing or invalid (not expired) access token: v2 answers 400 ``BadRequest``; v3
    MUST answer 401, with ``BadRequest`` as the code (the v3 Error enum has no
    ``Unauthorized``; the conformance tests expect ``BadRequest``)."""
    status = 401 if major(version) == "3" else 400
    return status, {"code": "BadRequest", "message": "Invalid or missing access token"}


LIST_CRITERIA = ("productId", "companyId", "geography", "classification")
DATE_CRITERIA = ("validOn", "validAfter", "validBefore")
_NAMES = {n.lower(): n for n in (*LIST_CRITERIA, *DATE_CRITERIA, "status")}
VALIDITY_YEARS = 3  # no validity period given: valid 3 years from referencePeriodEnd


@dataclass(frozen=True)
class FootprintFilters:
    """v3 ListFootprints criteria: OR within one criterion, AND between criteria."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None


def _date(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidFilter(f"{name}={value!r} is not an ISO 8601 date-time, e.g. "
                            "2025-04-01T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_filters(query: Mapping[str, str | Sequence[str]], *,
                  ignore: Iterable[str] = ("limit", "offset")) -> FootprintFilters:
    """Filters from query parameters (``{"productId": ["urn:a", "urn:b"], ...}``) or from a
    RequestCreatedEvent's ``data``. Names match case-insensitively (the spec's own example
    writes ``productid`` and ``validon``) and may end in ``[]``; ``x-…`` parameters (host
    extensions), ``comment`` and the names in ``ignore`` are skipped. Anything else, a
    non-URN id, a bad date-time or status raises :class:`InvalidFilter`."""
    skipped = {n.lower() for n in ignore} | {"comment"}
    found: dict[str, list[str]] = {}
    for raw_name, raw in query.items():
        key = raw_name.removesuffix("[]").lower()
        if key in skipped or key.startswith("x-"):
            continue
        if key not in _NAMES:
            raise InvalidFilter(f"unknown filter {raw_name!r}; PACT v3 filters are "
                                f"{', '.join(_NAMES.values())}")
        values = [raw] if isinstance(raw, str) else list(raw)
        if not all(isinstance(v, str) for v in values):
            raise InvalidFilter(f"{raw_name} takes strings")
        found.setdefault(_NAMES[key], []).extend(values)
    for name in ("productId", "companyId", "classification"):
        for value in found.get(name, ()):
            if not value.lower().startswith("urn:"):
                raise InvalidFilter(f"{name}={value!r} is not a URN (urn:…)")
    single: dict[str, str] = {}
    for name in (*DATE_CRITERIA, "status"):
        values = found.get(name, [])
        if len(values) > 1:
            raise InvalidFilter(f"{name} takes one value, got {len(values)}")
        if values:
            single[name] = values[0]
    status = single.get("status")
    if status is not None:
        if status.lower() not in ("active", "deprecated"):
            raise InvalidFilter(f"status={status!r}: use Active or Deprecated")
        status = status.capitalize()
    dates = {n: _date(n, single[n]) if n in single else None for n in DATE_CRITERIA}
    return FootprintFilters(
        product_ids=tuple(found.get("productId", ())),
        company_ids=tuple(found.get("companyId", ())),
        geographies=tuple(found.get("geography", ())),
        classifications=tuple(found.get("classification", ())),
        valid_on=dates["validOn"], valid_after=dates["validAfter"],
        valid_before=dates["validBefore"], status=status,
    )


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _plus_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def validity_period(pf: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """A footprint dict's validity period: as given, else 3 years from referencePeriodEnd
    (the spec's default, applied to whichever end is missing)."""
    end_of_reference = _when(pf["pcf"]["referencePeriodEnd"])
    start = (_when(pf["validityPeriodStart"]) if pf.get("validityPeriodStart")
             else end_of_reference)
    end = (_when(pf["validityPeriodEnd"]) if pf.get("validityPeriodEnd")
           else _plus_years(end_of_reference, VALIDITY_YEARS))
    return start, end


def _any(wanted: Sequence[str], have: Iterable[str]) -> bool:
    have_lower = {h.lower() for h in have}
    return any(w.lower() in have_lower for w in wanted)


def _in_geography(wanted: Sequence[str], pcf: Mapping[str, Any]) -> bool:
    region = (pcf.get("geographyRegionOrSubregion") or "").lower()
    country = (pcf.get("geographyCountry") or "").lower()
    subdivision = (pcf.get("geographyCountrySubdivision") or "").lower()
    for value in (w.lower() for w in wanted):
        if value and value in (region, country, subdivision):
            return True
        if subdivision and subdivision.split("-")[0] == value:
            return True  # CN matches a footprint of CN-YN: it lies within the country
    return False


def matches(footprint: FootprintFacts | Mapping[str, Any], filters: FootprintFilters) -> bool:
    """Whether a footprint (our facts, or a v3 or v2 ProductFootprint dict) passes the v3
    ListFootprints filters. IDs, classifications, geography and status compare
    case-insensitively; ``validOn``: start ≤ validOn ≤ end; ``validAfter``: start >
    validAfter; ``validBefore``: end < validBefore."""
    pf = to_v3(footprint, check=False) if isinstance(footprint, FootprintFacts) else footprint
    pcf = pf["pcf"]
    if filters.product_ids and not _any(filters.product_ids, pf["productIds"]):
        return False
    if filters.company_ids and not _any(filters.company_ids, pf["companyIds"]):
        return False
    if filters.classifications:
        classes = list(pf.get("productClassifications") or ())
        if pf.get("productCategoryCpc"):
            classes.append(f"urn:cpc:{pf['productCategoryCpc']}")
        if not _any(filters.classifications, classes):
            return False
    if filters.geographies and not _in_geography(filters.geographies, pcf):
        return False
    if filters.status and str(pf["status"]).lower() != filters.status.lower():
        return False
    if filters.valid_on or filters.valid_after or filters.valid_before:
        start, end = validity_period(pf)
        if filters.valid_on and not start <= filters.valid_on <= end:
            return False
        if filters.valid_after and not start > filters.valid_after:
            return False
        if filters.valid_before and not end < filters.valid_before:
            return False
    return True
