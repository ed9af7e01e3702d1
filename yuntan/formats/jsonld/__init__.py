"""openLCA JSON-LD import and export (pure: no Django, no database).

- :func:`read_jsonld` reads a package of openLCA 2 or 1.x (1.x field names are converted
  first, so an exchange's input flag survives), checks it completely, resolves units and
  links providers (:class:`LinkingReport`);
- :func:`to_matrix_system` turns the import into the engine's :class:`MatrixSystem`,
  characterised by an imported impact category or by Yuntan's GWP sets;
- :func:`write_factor_datasets_jsonld` writes factor datasets as an openLCA 2 package.

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
from yuntan.formats.jsonld.matrix import EnviFlow, JsonLdMatrices, TechFlow, to_matrix_system
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
from yuntan.formats.jsonld.writer import (
    ExportedPackage,
    FactorDatasetRecord,
    GasAmount,
    write_factor_datasets_jsonld,
)

__all__ = [
    "AllocationKind",
    "EnviFlow",
    "ExchangeLink",
    "ExportedPackage",
    "FactorDatasetRecord",
    "FlowKind",
    "GasAmount",
    "InvalidFactorDataset",
    "InvalidJsonLdPackage",
    "JsonLdError",
    "JsonLdExchange",
    "JsonLdFlow",
    "JsonLdImpactCategory",
    "JsonLdImpactMethod",
    "JsonLdImport",
    "JsonLdMatrices",
    "JsonLdProblem",
    "JsonLdProcess",
    "LinkStatus",
    "LinkingReport",
    "TechFlow",
    "UnknownImpactCategory",
    "read_jsonld",
    "to_matrix_system",
    "write_factor_datasets_jsonld",
]
