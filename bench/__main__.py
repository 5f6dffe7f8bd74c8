"""`python -m bench` runs every benchmark; `python -m bench <name> [options]` runs one."""

from __future__ import annotations

import importlib
import sys

# name -> module with `main(argv: list[str]) -> int`; add a line here for a new benchmark.
BENCHMARKS = {
    "realtime": "bench.realtime",
    "itinerary": "bench.itinerary",
    "recommend": "bench.recommend",
    "bot": "bench.bot",
}


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(f"usage: python -m bench [{'|'.join(BENCHMARKS)}] [options]   (no name: run all)")
        return 0
    if argv and not argv[0].startswith("-"):
        if argv[0] not in BENCHMARKS:
            print(f"unknown benchmark {argv[0]!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        names, options = [argv[0]], argv[1:]
    else:
        names, options = list(BENCHMARKS), argv
    status = 0
    for name in names:
        status = max(status, importlib.import_module(BENCHMARKS[name]).main(options))
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
