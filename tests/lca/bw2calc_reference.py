"""Feed the same matrices to bw2calc 3.x, the reference implementation we compare against.

A helper for the agreement tests, not a test module. bw2calc identifies activities,
products and elementary flows by integer ids; here activity ``j`` and the product it makes
both get id ``j`` and elementary flow ``k`` gets id ``FLOW_ID_OFFSET + k`` so the two kinds
of id never collide. bw2calc expects technosphere inputs as positive numbers with
``flip=True``; production (and the positive credits of system expansion) are not flipped.
"""

from __future__ import annotations

import bw_processing as bwp
import numpy as np
import scipy.sparse as sp

from yuntan.gwp import get_gwp_set
from yuntan.lca import MatrixSystem

FLOW_ID_OFFSET = 1_000_000


def _indices(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    indices = np.empty(rows.shape[0], dtype=bwp.INDICES_DTYPE)
    indices["row"] = rows
    indices["col"] = cols
    return indices


def datapackage(system: MatrixSystem, gwp_set: str = "AR6") -> bwp.Datapackage:
    """An in-memory datapackage with the technosphere, biosphere and characterisation of
    ``system`` under ``gwp_set``."""
    package = bwp.create_datapackage()

    tech = sp.coo_matrix(system.technosphere)
    tech.sum_duplicates()
    package.add_persistent_vector(
        matrix="technosphere_matrix",
        name="technosphere",
        indices_array=_indices(tech.row.astype(np.int64), tech.col.astype(np.int64)),
        data_array=np.abs(tech.data),
        flip_array=tech.data < 0,
    )

    bio = sp.coo_matrix(system.biosphere)
    bio.sum_duplicates()
    package.add_persistent_vector(
        matrix="biosphere_matrix",
        name="biosphere",
        indices_array=_indices(bio.row.astype(np.int64) + FLOW_ID_OFFSET,
                               bio.col.astype(np.int64)),
        data_array=bio.data.astype(np.float64),
    )

    factors = system.characterisation(get_gwp_set(gwp_set))
    flow_ids = np.arange(len(system.flows), dtype=np.int64) + FLOW_ID_OFFSET
    package.add_persistent_vector(
        matrix="characterization_matrix",
        name="gwp100",
        indices_array=_indices(flow_ids, flow_ids),
        data_array=factors,
    )
    return package


def bw2calc_score(system: MatrixSystem, demand: dict[int, float], gwp_set: str = "AR6") -> float:
    """The LCIA score bw2calc computes for ``demand`` (``{activity column: amount}``)."""
    import bw2calc as bc

    lca = bc.LCA(demand=demand, data_objs=[datapackage(system, gwp_set)])
    lca.lci()
    lca.lcia()
    return float(lca.score)


def bw2calc_supply(system: MatrixSystem, demand: dict[int, float]) -> np.ndarray:
    """bw2calc's supply vector for ``demand``, in the column order of ``system``."""
    import bw2calc as bc

    lca = bc.LCA(demand=demand, data_objs=[datapackage(system)])
    lca.lci()
    supply = np.zeros(system.size)
    for activity_id, column in lca.dicts.activity.items():
        supply[int(activity_id)] = lca.supply_array[column]
    return supply
