"""Yuntan vs bw2calc 3.x on one seeded synthetic system (``python -m benchmarks``).

The parent process only orchestrates: every engine configuration runs in its own child
process (``python -m benchmarks.run --worker CONFIG``), which regenerates the same system
from the seed, measures, and writes its timings (JSON) and results (``.npz``) to a
temporary directory. The parent then checks that the engines agree, prints the table and
writes ``benchmarks/results/latest.json``.

Configurations: ``yuntan``; ``bw2calc-pardiso`` (bw2calc with pypardiso, if importable)
and ``bw2calc-scipy`` (the same bw2calc with pypardiso hidden by a meta-path finder, so it
falls back to SciPy's SuperLU). Each metric compares Yuntan with the fastest bw2calc
measurement, over both configurations and over every documented bw2calc way of computing
it (``LCA``, ``FastScoresOnlyMultiLCA``, ``IterativeLCA``).
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
TOLERANCE = 1e-9  # relative agreement required between the engines
BIOSPHERE_ID = 1_000_000  # bw2calc ids of elementary flows: BIOSPHERE_ID + row
GWP_SET = "AR6"
TARGETS = {  # Yuntan time / bw2calc time must be at most this
    "one_score": 0.5,
    "one_footprint": 0.5,
    "many": 0.5,
    "every_product": 1.0,
    "monte_carlo": 0.1,
    "memory": 1.0,
}
LABELS = {
    "one_score": "(a) one footprint from cold, bare score",
    "one_footprint": "(a) one footprint from cold, footprint() with all breakdowns",
    "many": "(b) {footprints:,} footprints, factorisation reused",
    "every_product": "(c) every product's score ({size:,} products)",
    "monte_carlo": "(d) Monte Carlo, per iteration (A and B uncertain)",
    "memory": "(e) peak RSS of a process doing (a)+(b)",
}


# --------------------------------------------------------------------------- helpers


def _peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _clock(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Fastest of ``repeats`` runs (and the result of the last)."""
    best, value = float("inf"), None
    for _ in range(max(1, repeats)):
        seconds, value = _clock(fn)
        best = min(best, seconds)
    return best, value


def _workload(args: argparse.Namespace) -> dict[str, Any]:
    """The system and the demands, identical in every process (all seeded)."""
    from benchmarks.synthetic import generate

    data = generate(n=args.size, seed=args.seed)
    rng = np.random.default_rng(args.seed + 1)
    # Distinct random products: also the random sample of products for (c).
    many = rng.choice(data.n, args.footprints, replace=args.footprints > data.n)
    # The functional unit of (a) and (d): a final good (tier 0) with a deep supply chain.
    return {"data": data, "main": 0, "many": many}


class _BlockPypardiso(importlib.abc.MetaPathFinder):
    """Make ``import pypardiso`` fail, as on a machine without it."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname == "pypardiso" or fullname.startswith("pypardiso."):
            raise ImportError("pypardiso is blocked for this benchmark configuration")
        return None


def _library_info() -> list[dict[str, Any]]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "version", "num_threads", "threading_layer", "architecture")
    return [{k: lib.get(k) for k in keys} for lib in threadpool_info()]


# --------------------------------------------------------------------------- Yuntan worker


def _worker_yuntan(args: argparse.Namespace, out: Path) -> None:
    from yuntan.lca import all_scores, footprint, monte_carlo, prepare, scores

    work = _workload(args)
    data, main = work["data"], f"a{work['main']}"
    rss_start = _peak_rss_mib()
    demands = [{f"a{j}": 1.0} for j in work["many"]]

    def cold_footprint() -> Any:
        return footprint(prepare(data.system(), GWP_SET), {main: 1.0})

    def cold_score() -> tuple[float, Any]:
        prepared = prepare(data.system(), GWP_SET)
        return float(scores(prepared, [{main: 1.0}])[0]), prepared

    # First (a) and (b), then the peak RSS; repeats of (a) and the rest come after.
    t_full, result = _clock(cold_footprint)
    t_bare, (score, prepared) = _clock(cold_score)
    t_many, many = _clock(lambda: scores(prepared, demands))
    rss_ab = _peak_rss_mib()
    t_full = min(t_full, _best(cold_footprint, args.repeats - 1)[0])
    t_bare = min(t_bare, _best(cold_score, args.repeats - 1)[0])
    t_all, every = _best(lambda: all_scores(prepared), args.repeats)
    t_mc, mc = _clock(
        lambda: monte_carlo(prepared, {main: 1.0}, iterations=args.iterations, seed=args.seed))
    np.savez(out / "yuntan.npz", score=score, full=result.total, many=many, every=every)
    report = {
        "config": "yuntan",
        "solver": prepared.factors.name,
        "rss_start_mib": rss_start,
        "rss_ab_mib": rss_ab,
        "rss_end_mib": _peak_rss_mib(),
        "one_score": {"seconds": t_bare, "method": "data.system() + prepare + scores"},
        "one_footprint": {"seconds": t_full, "method": "data.system() + prepare + footprint"},
        "many": {"seconds": t_many, "method": "scores(prepared, demands)"},
        "every_product": {"seconds": t_all, "method": "all_scores(prepared), one adjoint solve"},
        "monte_carlo": {
            "seconds": t_mc / args.iterations,
            "iterations": args.iterations,
            "method": f"monte_carlo ({mc.method})",
            "mean": mc.mean,
            "deterministic": mc.deterministic,
            "refactorisations": mc.refactorisations,
            "activities_sampled": mc.activities_sampled,
        },
        "libraries": _library_info(),
    }
    (out / "yuntan.json").write_text(json.dumps(report))


# --------------------------------------------------------------------------- bw2calc worker


def _datapackage(data: Any, c: np.ndarray) -> Any:
    """bw_processing datapackage of the system: technosphere (inputs flipped), biosphere and
    characterisation, with lognormal distributions (stats_arrays type 2) on A and B."""
    import bw_processing as bwp

    def distributions(values: np.ndarray, gsd: np.ndarray) -> np.ndarray:
        out = np.zeros(values.shape[0], dtype=bwp.UNCERTAINTY_DTYPE)
        uncertain = gsd > 1.0
        out["uncertainty_type"] = np.where(uncertain, 2, 0)
        out["loc"] = np.where(uncertain, np.log(np.abs(values)), np.abs(values))
        out["scale"] = np.where(uncertain, np.log(gsd), np.nan)
        out["shape"] = out["minimum"] = out["maximum"] = np.nan
        out["negative"] = values < 0
        return out

    def indices(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.zeros(rows.shape[0], dtype=bwp.INDICES_DTYPE)
        out["row"], out["col"] = rows, cols
        return out

    dp = bwp.create_datapackage(sequential=True)
    flip = data.tech_values < 0
    amount = np.abs(data.tech_values)  # flipped inputs are stored as positive amounts
    dp.add_persistent_vector(
        matrix="technosphere_matrix", name="technosphere",
        indices_array=indices(data.tech_rows, data.tech_cols), data_array=amount,
        flip_array=flip, distributions_array=distributions(amount, data.tech_gsd),
    )
    dp.add_persistent_vector(
        matrix="biosphere_matrix", name="biosphere",
        indices_array=indices(data.bio_rows + BIOSPHERE_ID, data.bio_cols),
        data_array=data.bio_values,
        distributions_array=distributions(data.bio_values, data.bio_gsd),
    )
    flows = np.arange(c.shape[0]) + BIOSPHERE_ID
    dp.add_persistent_vector(
        matrix="characterization_matrix", name="gwp", identifier=["gwp"],
        indices_array=indices(flows, flows), data_array=c,
    )
    return dp


def _worker_bw2calc(args: argparse.Namespace, out: Path, pardiso: bool) -> None:
    if not pardiso:
        sys.meta_path.insert(0, _BlockPypardiso())
    warnings.simplefilter("ignore")
    import bw2calc as bc

    from benchmarks.synthetic import FLOWS
    from yuntan.gwp import Origin, get_gwp_set

    if pardiso != bc.PYPARDISO:
        raise SystemExit(f"bw2calc.PYPARDISO is {bc.PYPARDISO}, expected {pardiso}")
    name = "bw2calc-pardiso" if pardiso else "bw2calc-scipy"
    solver = "pypardiso (MKL PARDISO)" if pardiso else (
        "UMFPACK" if bc.UMFPACK else "SciPy SuperLU of Aᵀ (bw2calc.utils.lu_solver)")
    gwp = get_gwp_set(GWP_SET)
    c = np.array([gwp.factor(gas, Origin(origin)) for gas, origin in FLOWS])
    work = _workload(args)
    data, main = work["data"], work["main"]
    budget = args.bw_budget
    rss_start = _peak_rss_mib()

    def cold() -> Any:
        lca = bc.LCA({main: 1.0}, data_objs=[_datapackage(data, c)])
        lca.lci(factorize=not pardiso)  # keep the factorisation for (b); pardiso keeps its own
        lca.lcia()
        return lca

    def loop(lca: Any, products: Sequence[int]) -> tuple[float, np.ndarray]:
        """Solve products one by one until done or out of budget (at least 20 of them);
        returns the time extrapolated linearly to all ``products`` and the scores solved."""
        values: list[float] = []
        start = time.perf_counter()
        for j in products:
            lca.lci(demand={int(j): 1.0})
            lca.lcia()
            values.append(float(lca.score))
            if time.perf_counter() - start > budget and len(values) >= 20:
                break
        return (time.perf_counter() - start) * len(products) / len(values), np.array(values)

    # (a), then (b) in the same process, then the peak RSS.
    t_cold, lca = _clock(cold)
    score = float(lca.score)
    t_loop, many_loop = loop(lca, work["many"])
    rss_ab = _peak_rss_mib()
    if t_cold * (args.repeats - 1) < budget:
        t_cold = min(t_cold, _best(cold, args.repeats - 1)[0])
    lca = None  # release the factorisation before the next measurements
    done = many_loop.shape[0]
    partial = f" (timed {done} of {len(work['many'])}, extrapolated)" if done < len(
        work["many"]) else ""
    measured: dict[str, Any] = {
        "one_score": [{"seconds": t_cold, "method": "datapackage + LCA + lci + lcia"}],
        "many": [{"seconds": t_loop, "key": "many_loop", "extrapolated": bool(partial),
                  "method": f"LCA.lci(demand=…) + lcia() per demand{partial}"}],
        "every_product": [{
            "seconds": t_loop * data.n / len(work["many"]), "key": "many_loop",
            "extrapolated": True,
            "method": f"LCA loop over {done} random products (those of (b)), × n/{done}",
        }],
        "monte_carlo": [],
    }
    arrays: dict[str, Any] = {"score": score, "many_loop": many_loop}

    # FastScoresOnlyMultiLCA needs PARDISO or UMFPACK. Matrices are loaded before the clock
    # starts; calculate() then factorises (Aᵀ for the adjoint) and solves.
    if pardiso or bc.UMFPACK:
        dp = _datapackage(data, c)
        config = {"impact_categories": [("gwp",)]}
        demands = {str(k): {int(j): 1.0} for k, j in enumerate(work["many"])}
        for direction in ("forward", "adjoint"):
            if direction == "forward" and t_cold > budget:
                # It factorises A like (a) and then solves every demand: at least t_cold.
                measured["many"].append({
                    "seconds": t_cold, "key": None, "estimated": True,
                    "method": "FastScoresOnlyMultiLCA(direction='forward'): not run, "
                              "≥ the factorisation of (a); (a) time shown",
                })
                continue
            multi = bc.FastScoresOnlyMultiLCA(
                demands=demands, method_config=config, data_objs=[dp], direction=direction)
            multi._load_datapackages()
            multi.build_precalculated()
            t_multi, result = _clock(multi.calculate)
            if t_multi * (args.repeats - 1) < budget:
                t_multi = min(t_multi, _best(multi.calculate, args.repeats - 1)[0])
            arrays[f"many_{direction}"] = np.asarray(result).ravel()
            measured["many"].append({
                "seconds": t_multi, "key": f"many_{direction}",
                "method": f"FastScoresOnlyMultiLCA(direction={direction!r}).calculate()",
            })
            if direction == "adjoint":
                ids = np.asarray(multi.product_scores.coords["products"].values, dtype=np.int64)
                every = np.empty(data.n)
                every[ids] = np.asarray(multi.product_scores.values).ravel()
                arrays["every_adjoint"] = every
                measured["every_product"].append({
                    "seconds": t_multi, "key": "every_adjoint",
                    "method": "FastScoresOnlyMultiLCA(direction='adjoint'): product_scores",
                })
            multi = None

    # (d) Monte Carlo: plain LCA (refactorises every iteration), and IterativeLCA, which
    # bw2calc documents as its fastest Monte Carlo class (BiCGSTAB + Jacobi).
    iterations = min(args.iterations, args.bw_iterations)
    variants: list[tuple[str, Any, dict[str, Any]]] = []
    if t_cold <= budget:
        variants = [
            ("LCA", bc.LCA, {}),
            ("IterativeLCA(direct_first_solve=False)", bc.IterativeLCA,
             {"jacobi_pairing": "diagonal", "direct_first_solve": False}),
            ("IterativeLCA", bc.IterativeLCA, {"jacobi_pairing": "diagonal"}),
        ]
    else:
        # Each LCA iteration resamples and refactorises A: about the cold time of (a).
        measured["monte_carlo"].append({
            "seconds": t_cold, "estimated": True,
            "method": "LCA, use_distributions=True: not run, each next() refactorises A; "
                      "(a) time shown",
        })
        if not pardiso:
            # One IterativeLCA only (its untimed first lci factorises the reference matrix,
            # as long as (a)); without that reference the first BiCGSTAB solve fails on this
            # system and falls back to a direct solve anyway.
            variants = [("IterativeLCA", bc.IterativeLCA, {"jacobi_pairing": "diagonal"})]
    for label, cls, kwargs in variants:
        mc = cls({main: 1.0}, data_objs=[_datapackage(data, c)], use_distributions=True,
                 seed_override=args.seed, **kwargs)
        t_setup, _ = _clock(lambda mc=mc: (mc.lci(), mc.lcia()))
        samples, times = [], []
        for _ in range(iterations):
            seconds, _ = _clock(lambda mc=mc: next(mc))
            times.append(seconds)
            samples.append(float(mc.score))
        entry = {
            "seconds": float(np.mean(times)), "iterations": iterations,
            "method": f"{label}, use_distributions=True: next() per iteration",
            "first_lci_seconds": t_setup, "mean": float(np.mean(samples)),
        }
        if hasattr(mc, "solver_stats"):
            entry["solver_stats"] = dict(mc.solver_stats)
        measured["monte_carlo"].append(entry)
        mc = None

    np.savez(out / f"{name}.npz", **arrays)
    report = {
        "config": name, "solver": solver, "measured": measured,
        "rss_start_mib": rss_start, "rss_ab_mib": rss_ab, "rss_end_mib": _peak_rss_mib(),
        "libraries": _library_info(),
    }
    (out / f"{name}.json").write_text(json.dumps(report))


# --------------------------------------------------------------------------- parent


def _relative_error(values: np.ndarray, reference: np.ndarray) -> float:
    values, reference = np.atleast_1d(values), np.atleast_1d(reference)
    scale = np.abs(reference)
    return float(np.max(np.abs(values - reference) / np.where(scale > 0, scale, 1.0)))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for package in ("yuntan", "numpy", "scipy", "bw2calc", "bw_processing", "matrix_utils",
                    "stats_arrays", "pypardiso", "mkl"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "not installed"
    if out["yuntan"] == "not installed":
        from yuntan import __version__

        out["yuntan"] = f"{__version__} (source tree)"
    return out


def _machine() -> dict[str, Any]:
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "platform": platform.platform()}


def _run_worker(config: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.run", "--worker", config, "--out", str(out),
               "--size", str(args.size), "--seed", str(args.seed),
               "--iterations", str(args.iterations), "--bw-iterations", str(args.bw_iterations),
               "--footprints", str(args.footprints), "--bw-budget", str(args.bw_budget),
               "--repeats", str(args.repeats)]
    print(f"  running {config} …", end=" ", flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print("FAILED")
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(2)
    print(f"{time.perf_counter() - start:.1f} s", flush=True)
    report: dict[str, Any] = json.loads((out / f"{config}.json").read_text())
    report["arrays"] = dict(np.load(out / f"{config}.npz"))
    return report


def _agreement(ours: dict[str, Any], bw: dict[str, Any]) -> dict[str, float]:
    """Largest relative difference of each bw2calc result from Yuntan's."""
    mine, theirs = ours["arrays"], bw["arrays"]
    out = {
        "(a) one score": _relative_error(theirs["score"], mine["score"]),
        "(a) footprint().total": _relative_error(theirs["score"], mine["full"]),
    }
    for key in ("many_loop", "many_forward", "many_adjoint"):
        if key in theirs:
            out[f"(b) {key}"] = _relative_error(theirs[key], mine["many"][: len(theirs[key])])
    out["(c) sample of (b)"] = out["(b) many_loop"]
    if "every_adjoint" in theirs:
        out["(c) every_adjoint"] = _relative_error(theirs["every_adjoint"], mine["every"])
    return out


def _rows(ours: dict[str, Any], bws: list[dict[str, Any]], args: argparse.Namespace
          ) -> list[dict[str, Any]]:
    rows = []
    for metric, target in TARGETS.items():
        label = LABELS[metric].format(footprints=args.footprints, size=args.size)
        if metric == "memory":
            candidates = [(bw["rss_ab_mib"], bw["config"], "LCA: (a) then (b) loop")
                          for bw in bws]
            mine = ours["rss_ab_mib"]
            unit = "MiB"
        else:
            source = "one_score" if metric == "one_footprint" else metric
            candidates = [(m["seconds"], bw["config"], m["method"])
                          for bw in bws for m in bw["measured"][source]]
            mine = ours[metric]["seconds"]
            unit = "s"
        theirs, config, method = min(candidates)
        ratio = mine / theirs
        plain = min(v for v, _, m in candidates if not m.startswith(("Fast", "Iterative")))
        rows.append({
            "metric": metric, "label": label, "unit": unit, "yuntan": mine, "bw2calc": theirs,
            "bw2calc_config": config, "bw2calc_method": method, "ratio": ratio,
            "target": target, "pass": ratio <= target,
            "bw2calc_lca_class": plain, "ratio_lca_class": mine / plain,
            "yuntan_method": ours.get(metric, {}).get("method", "(a)+(b) in one process"),
        })
    return rows


def _format(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if value >= 1:
        return f"{value:,.2f} s"
    return f"{value * 1e3:,.2f} ms"


def _print_report(result: dict[str, Any]) -> None:
    rows = result["rows"]
    print()
    print(f"System: {result['size']:,} activities, {result['nnz_technosphere']:,} technosphere "
          f"and {result['nnz_biosphere']:,} biosphere entries, seed {result['seed']}")
    header = ("Metric", "Yuntan", "bw2calc (fastest)", "Ratio", "Target", "",
              "bw2calc LCA class", "Ratio")
    table = [header] + [
        (r["label"], _format(r["yuntan"], r["unit"]), _format(r["bw2calc"], r["unit"]),
         f"{r['ratio']:.3g}", f"≤ {r['target']:g}", "pass" if r["pass"] else "MISS",
         _format(r["bw2calc_lca_class"], r["unit"]), f"{r['ratio_lca_class']:.3g}")
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for k, line in enumerate(table):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("Fastest bw2calc measurement per metric:")
    for r in rows:
        print(f"  {r['metric']}: {r['bw2calc_config']}: {r['bw2calc_method']}")
    print()
    print("Every bw2calc measurement:")
    for bw in result["bw2calc"]:
        print(f"  {bw['config']} (solver: {bw['solver']}; peak RSS after (a)+(b) "
              f"{bw['rss_ab_mib']:,.0f} MiB, at start {bw['rss_start_mib']:,.0f} MiB)")
        for metric, entries in bw["measured"].items():
            for m in entries:
                extra = f", mean {m['mean']:.6g}" if "mean" in m else ""
                if "iterations" in m:
                    extra += f", {m['iterations']} iterations"
                if "solver_stats" in m:
                    extra += f", stages {m['solver_stats']}"
                print(f"    {metric:14} {_format(m['seconds'], 's'):>12}  {m['method']}{extra}")
    ours = result["yuntan"]
    print(f"  yuntan (solver: {ours['solver']}; peak RSS after (a)+(b) "
          f"{ours['rss_ab_mib']:,.0f} MiB, at start {ours['rss_start_mib']:,.0f} MiB)")
    mc = ours["monte_carlo"]
    print(f"    monte_carlo: {mc['iterations']} iterations, {mc['method']}, mean {mc['mean']:.6g}, "
          f"deterministic {mc['deterministic']:.6g}, refactorisations {mc['refactorisations']}, "
          f"supply chain sampled: {mc['activities_sampled']:,} activities")
    print()
    print(f"Agreement with Yuntan (max relative difference, tolerance {TOLERANCE:g}):")
    for config, checks in result["agreement"].items():
        for check, value in checks.items():
            flag = "ok" if value <= TOLERANCE else "DISAGREE"
            print(f"  {config:16} {check:24} {value:.2e}  {flag}")
    print()
    print(f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
          f"{result['machine']['platform']}")
    for config, libs in result["libraries"].items():
        text = "; ".join(f"{lib['internal_api']} {lib['version']} ({lib['num_threads']} threads"
                         f"{', ' + lib['threading_layer'] if lib.get('threading_layer') else ''})"
                         for lib in libs)
        print(f"  BLAS/threads in {config}: {text or 'none reported'}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time the Yuntan engine against bw2calc 3.x on one synthetic system.")
    parser.add_argument("--size", type=int, default=None, help="activities (default 20,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--iterations", type=int, default=None,
                        help="Monte Carlo iterations for Yuntan (default 50)")
    parser.add_argument("--bw-iterations", type=int, default=None,
                        help="Monte Carlo iterations for bw2calc (default 10)")
    parser.add_argument("--footprints", type=int, default=None,
                        help="demands for metric (b) (default 1,000)")
    parser.add_argument("--bw-budget", type=float, default=None,
                        help="seconds per timed bw2calc loop before extrapolating, and above "
                             "which slow bw2calc variants are estimated, not run (default 30)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats of the cold-start runs, best kept (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2,000 activities, fewer demands and iterations")
    parser.add_argument("--no-scipy", action="store_true",
                        help="skip bw2calc without pypardiso")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    defaults = ({"size": 2_000, "iterations": 20, "bw_iterations": 5, "footprints": 200,
                 "bw_budget": 30.0, "repeats": 2} if args.quick else
                {"size": 20_000, "iterations": 50, "bw_iterations": 10, "footprints": 1_000,
                 "bw_budget": 30.0, "repeats": 3})
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.worker:
        if args.worker == "yuntan":
            _worker_yuntan(args, args.out)
        else:
            _worker_bw2calc(args, args.out, pardiso=args.worker == "bw2calc-pardiso")
        return 0

    configs = ["yuntan"]
    if importlib.util.find_spec("pypardiso") is not None:
        configs.append("bw2calc-pardiso")
    if not args.no_scipy or len(configs) == 1:
        configs.append("bw2calc-scipy")
    print(f"Yuntan vs bw2calc: {args.size:,} activities, seed {args.seed}, "
          f"{args.footprints:,} footprints, MC {args.iterations} (Yuntan) / "
          f"{min(args.iterations, args.bw_iterations)} (bw2calc) iterations")
    with tempfile.TemporaryDirectory(prefix="yuntan-bench-") as tmp:
        reports = {config: _run_worker(config, args, Path(tmp)) for config in configs}
    ours = reports.pop("yuntan")
    bws = list(reports.values())
    from benchmarks.synthetic import generate

    data = generate(n=args.size, seed=args.seed)
    result: dict[str, Any] = {
        "size": args.size, "seed": args.seed, "footprints": args.footprints,
        "iterations": {"yuntan": args.iterations,
                       "bw2calc": min(args.iterations, args.bw_iterations)},
        "bw_budget_seconds": args.bw_budget,
        "nnz_technosphere": int(data.technosphere().nnz),
        "nnz_biosphere": int(data.biosphere().nnz),
        "rows": _rows(ours, bws, args),
        "agreement": {bw["config"]: _agreement(ours, bw) for bw in bws},
        "yuntan": {k: v for k, v in ours.items() if k not in ("arrays", "libraries")},
        "bw2calc": [{k: v for k, v in bw.items() if k not in ("arrays", "libraries")}
                    for bw in bws],
        "libraries": {r["config"]: r["libraries"] for r in (ours, *bws)},
        "machine": _machine(),
        "versions": _versions(),
        "tolerance": TOLERANCE,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _print_report(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten to {args.json}")
    worst = max(v for checks in result["agreement"].values() for v in checks.values())
    if worst > TOLERANCE:
        print(f"ERROR: the engines disagree by {worst:.2e} relative (> {TOLERANCE:g}).")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
