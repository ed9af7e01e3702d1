"""A seeded synthetic technosphere of ecoinvent size, for benchmarks and agreement tests.

Tiered supply chain: each activity buys about ``inputs_per_activity`` products, mostly from
deeper tiers within its own sector (``sector_width``: the spread of supplier positions, as a
share of the supplying tier), a share of them from a few hundred hub activities (electricity, fuels,
transport) that also buy from each other, and a small share from shallower tiers, which
closes loops. Input amounts are drawn so that every column spends less than it makes
(a productive, solvable economy), then rescaled by random product units (kg, kWh, t·km …)
so that magnitudes span orders of magnitude as in real data. The biosphere holds the
greenhouse gases by origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from yuntan.lca.system import LOGNORMAL, MatrixSystem, UncertainEntries

FLOWS: tuple[tuple[str, str], ...] = (
    ("CO2", "fossil"),
    ("CH4", "fossil"),
    ("N2O", "fossil"),
    ("SF6", "fossil"),
    ("CF4", "fossil"),
    ("HFC-134a", "fossil"),
    ("CO2", "biogenic"),
    ("CH4", "biogenic"),
    ("CO2", "biogenic_uptake"),
    ("CO2", "land_use_change"),
)
# Typical kg per unit of activity, by flow (order of magnitude only).
_FLOW_SCALE = np.array([1.0, 3e-3, 1e-4, 1e-7, 1e-6, 1e-6, 0.2, 1e-3, 0.3, 0.05])


@dataclass(frozen=True)
class SyntheticData:
    """Raw coordinates of the synthetic system (what both engines are fed)."""

    n: int
    tech_rows: npt.NDArray[np.int64]
    tech_cols: npt.NDArray[np.int64]
    tech_values: npt.NDArray[np.float64]  # signed: + production, − inputs
    bio_rows: npt.NDArray[np.int64]
    bio_cols: npt.NDArray[np.int64]
    bio_values: npt.NDArray[np.float64]  # signed: − uptake
    tech_gsd: npt.NDArray[np.float64]  # 1.0 = certain
    bio_gsd: npt.NDArray[np.float64]

    def technosphere(self) -> sp.csc_matrix:
        return sp.csc_matrix(
            (self.tech_values, (self.tech_rows, self.tech_cols)), shape=(self.n, self.n)
        )

    def biosphere(self) -> sp.csc_matrix:
        return sp.csc_matrix(
            (self.bio_values, (self.bio_rows, self.bio_cols)), shape=(len(FLOWS), self.n)
        )

    def system(self, *, uncertain: bool = True) -> MatrixSystem:
        ids = [f"a{i}" for i in range(self.n)]

        def entries(rows, cols, values, gsd):  # type: ignore[no-untyped-def]
            mask = gsd > 1.0 if uncertain else np.zeros(gsd.shape, dtype=bool)
            return UncertainEntries(
                rows=rows[mask], cols=cols[mask], amount=values[mask],
                kind=np.full(int(mask.sum()), LOGNORMAL, dtype=np.int8),
                spread=np.log(gsd[mask]), minimum=values[mask], maximum=values[mask],
            )

        return MatrixSystem.from_matrices(
            self.technosphere(), self.biosphere(), ids, FLOWS,
            technosphere_uncertainty=entries(
                self.tech_rows, self.tech_cols, self.tech_values, self.tech_gsd),
            biosphere_uncertainty=entries(
                self.bio_rows, self.bio_cols, self.bio_values, self.bio_gsd),
        )


def generate(
    n: int = 20_000,
    inputs_per_activity: int = 12,
    *,
    tiers: int = 8,
    hubs: int = 300,
    loop_share: float = 0.01,
    sector_width: float = 0.02,
    seed: int = 42,
) -> SyntheticData:
    """Generate the synthetic system; same arguments, same system."""
    rng = np.random.default_rng(seed)
    hubs = min(hubs, max(1, n // 10))
    ordinary = n - hubs
    # Activities 0 … ordinary-1 sit in tiers 0 (final goods) … tiers-1 (raw materials), in
    # index order; the hubs (energy, fuels, transport, basic chemicals) come last.
    tier = np.sort(rng.integers(0, tiers, ordinary))
    tier_start = np.searchsorted(tier, np.arange(tiers + 1))
    hub_ids = np.arange(ordinary, n)
    raw_materials = np.arange(tier_start[tiers - 1], ordinary)
    if raw_materials.size == 0:  # tiny systems: any ordinary activity will do
        raw_materials = np.arange(ordinary)
    hub_suppliers = rng.choice(raw_materials, min(raw_materials.size, hubs), replace=False)
    k = np.maximum(1, rng.poisson(inputs_per_activity, n))
    cols = np.repeat(np.arange(n), k)
    m = cols.shape[0]
    draw = rng.random(m)
    rows = np.empty(m, dtype=np.int64)
    from_hub = cols >= ordinary
    # Hubs buy from each other (the core loop of every economy) and from a few raw materials.
    hub_pick = from_hub & (draw < 0.6)
    rows[hub_pick] = rng.choice(hub_ids, int(hub_pick.sum()))
    raw_pick = from_hub & ~hub_pick
    rows[raw_pick] = rng.choice(hub_suppliers, int(raw_pick.sum()))
    # Ordinary activities: 30 % hub inputs, a small share of inputs from neighbouring
    # activities (same sector, possibly a shallower tier: local loops), the rest from deeper
    # tiers (or hubs for raw materials).
    is_hub = ~from_hub & (draw < 0.3)
    rows[is_hub] = rng.choice(hub_ids, int(is_hub.sum()))
    is_loop = ~from_hub & (draw >= 0.3) & (draw < 0.3 + loop_share)
    near = cols[is_loop] + rng.integers(-100, 101, int(is_loop.sum()))
    rows[is_loop] = np.clip(near, 0, ordinary - 1)
    rest = ~(from_hub | is_hub | is_loop)
    consumer = cols[rest]
    own = tier[consumer]
    # Suppliers sit in a deeper tier, in the same sector: near the consumer's relative position
    # within its tier (supply chains are clustered by sector, not random).
    deeper = own + 1 + (rng.random(own.shape[0]) * (tiers - 1 - own)).astype(np.int64)
    has_deeper = own < tiers - 1
    deeper = np.minimum(deeper, tiers - 1)
    size = np.maximum(tier_start[deeper + 1] - tier_start[deeper], 1)
    own_size = np.maximum(tier_start[own + 1] - tier_start[own], 1)
    position = (consumer - tier_start[own]) / own_size
    offset = position * size + rng.normal(0.0, sector_width * size)
    pick = tier_start[deeper] + np.clip(offset, 0, size - 1).astype(np.int64)
    rows[rest] = np.where(has_deeper, pick, rng.choice(hub_ids, own.shape[0]))
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    # Amounts: each column spends 40-85 % of its output (in common value units) ...
    raw = rng.lognormal(0.0, 1.0, rows.shape[0])
    spend = rng.uniform(0.4, 0.85, n)
    col_sum = np.bincount(cols, weights=raw, minlength=n)
    amount = raw / col_sum[cols] * spend[cols]
    # ... then expressed in each product's own unit (a similarity transform: same spectrum).
    unit = 10.0 ** rng.uniform(-3, 3, n)
    amount = amount * unit[rows] / unit[cols]
    production = np.ones(n)
    tech_rows = np.concatenate([np.arange(n), rows])
    tech_cols = np.concatenate([np.arange(n), cols])
    tech_values = np.concatenate([production, -amount])
    tech_gsd = np.concatenate([np.ones(n), rng.uniform(1.05, 1.5, rows.shape[0])])
    # Biosphere: 1-4 gases per activity.
    g = rng.integers(1, 5, n)
    bio_cols = np.repeat(np.arange(n), g)
    bio_rows = rng.integers(0, len(FLOWS), bio_cols.shape[0])
    bio_rows[np.r_[0, np.cumsum(g)[:-1]]] = 0  # everyone emits fossil CO2
    pair = np.unique(bio_rows * n + bio_cols)
    bio_rows, bio_cols = pair // n, pair % n
    bio_values = _FLOW_SCALE[bio_rows] * rng.lognormal(0.0, 1.0, bio_rows.shape[0])
    bio_values = bio_values / unit[bio_cols]
    uptake = np.array([f == ("CO2", "biogenic_uptake") for f in FLOWS])[bio_rows]
    bio_values[uptake] *= -1.0
    bio_gsd = rng.uniform(1.05, 1.5, bio_rows.shape[0])
    return SyntheticData(
        n=n,
        tech_rows=tech_rows.astype(np.int64),
        tech_cols=tech_cols.astype(np.int64),
        tech_values=tech_values,
        bio_rows=bio_rows.astype(np.int64),
        bio_cols=bio_cols.astype(np.int64),
        bio_values=bio_values,
        tech_gsd=tech_gsd,
        bio_gsd=bio_gsd,
    )
