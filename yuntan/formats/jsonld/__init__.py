"""openLCA JSON-LD import and export (pure: no Django, no database).

- :func:`read_jsonld` reads a package of openLCA 2 or 1.x (1.x field names are converted
  first, so an exchange's input flag survives), checks it completely, resolves units and
  links providers (:class:`LinkingReport`);

See docs/jsonld.md.
"""

from yuntan.formats.jsonld.errors import (
    InvalidFactorDataset,
    InvalidJsonLdPackage,
    JsonLdError,
    JsonLdProblem,
    UnknownImpactCategory,
)
from yuntan.formats.jsonld.linking import ExchangeLink, LinkingReport, LinkStatus
from yuntan.formats.jsonld.model import (
    AllocationKind,
    FlowKind,
    JsonLdExchange,
    JsonLdFlow,
    JsonLdImpactCategory,
    JsonLdImpactMethod,
    JsonLdImport,
    JsonLdProcess,
)
from yuntan.formats.jsonld.reader import read_jsonld

__all__ = [
    "AllocationKind",
    "ExchangeLink",
    "FlowKind",
    "InvalidFactorDataset",
    "InvalidJsonLdPackage",
    "JsonLdError",
    "JsonLdExchange",
    "JsonLdFlow",
    "JsonLdImpactCategory",
    "JsonLdImpactMethod",
    "JsonLdImport",
    "JsonLdProblem",
    "JsonLdProcess",
    "LinkStatus",
    "LinkingReport",
    "UnknownImpactCategory",
    "read_jsonld",
]
