"""Benchmarks: `python -m bench [name] [options]`. They print figures; they assert nothing."""
