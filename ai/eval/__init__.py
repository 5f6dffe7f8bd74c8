"""Benchmarks of the models, run by `python -m ai.eval <benchmark> PATH` (research, not runtime code)."""
