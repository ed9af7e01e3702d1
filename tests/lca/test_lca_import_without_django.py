"""The calculation core is pure Python: it imports and computes with Django (and ninja and
psycopg) unavailable."""

from __future__ import annotations

from purity import run_without_django


def test_it_imports_and_computes_without_django() -> None:
    out = run_without_django("""
        try:
            import django  # noqa: F401
        except ImportError:
            pass
        else:
            raise SystemExit("the blocker does not work")

        import yuntan.accounting
        import yuntan.electricity
        import yuntan.gwp
        import yuntan.identifiers
        import yuntan.lca
        import yuntan.units
        from yuntan.lca import Emission, FactorDataset, Input, Output, Process, build_system
        from yuntan.lca import footprint

        grid = FactorDataset("grid", "kWh", (Emission("CO2", 0.1073),))
        smelter = Process("smelter", (Output("aluminium", 1, "吨"),),
                          inputs=(Input("grid", 1.35, "万千瓦时"),))
        result = footprint(build_system([smelter], [grid]), {"aluminium": 1})
        print(repr(round(result.total, 6)), yuntan.gwp.get_gwp_set().name)
    """, timeout=60)
    # 1.35 万千瓦时 = 13 500 kWh × 0.1073 = 1 448.55 kg CO2e; no blocked module was loaded.
    assert out.splitlines()[0].split() == ["1448.55", "AR6"]
