"""Fixtures of the calculation-core tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread() -> Iterator[None]:
    """Run the dense reference solves on one BLAS thread.

    They are a few hundred rows at most; with two BLAS threads on a busy 2-core runner
    (other tests, other xdist workers) OpenBLAS threads wait on each other and a 200×200
    solve becomes a hundred times slower.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with bw2calc
    except ImportError:  # pragma: no cover - the reference tests need bw2calc anyway
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
