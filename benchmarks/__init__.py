"""Benchmarks of the Yuntan engine against bw2calc (run with ``./dev bench``)."""
