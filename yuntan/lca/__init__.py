"""The calculation core: matrix LCA for product carbon footprints (pure Python, no Django).

Build a system from processes and factor datasets (:func:`build_system`) or ready sparse
matrices (:meth:`MatrixSystem.from_matrices`), then :func:`footprint` for one functional
unit with every breakdown, :func:`scores` for many, :func:`all_scores` for every product,
and :func:`monte_carlo` for uncertainty.
"""

from yuntan.gwp import Origin
from yuntan.lca.build import build_system
from yuntan.lca.calculate import PreparedSystem, all_scores, footprint, prepare, scores
from yuntan.lca.errors import YuntanLcaError
from yuntan.lca.model import (
    AllocationMethod,
    Distribution,
    Emission,
    FactorDataset,
    Input,
    Output,
    Pedigree,
    Process,
)
from yuntan.lca.results import BiogenicSplit, FootprintResult, TreeNode
from yuntan.lca.system import MatrixSystem
from yuntan.lca.uncertainty import MonteCarloResult, monte_carlo

__all__ = [
    "AllocationMethod",
    "BiogenicSplit",
    "Distribution",
    "Emission",
    "FactorDataset",
    "FootprintResult",
    "Input",
    "MatrixSystem",
    "MonteCarloResult",
    "Origin",
    "Output",
    "Pedigree",
    "PreparedSystem",
    "Process",
    "TreeNode",
    "YuntanLcaError",
    "all_scores",
    "build_system",
    "footprint",
    "monte_carlo",
    "prepare",
    "scores",
]
