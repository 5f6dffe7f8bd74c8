"""Evaluation CLI: ``python -m ai.eval <benchmark> PATH``.

Each subcommand is one entry in ``COMMANDS`` (name -> (module, function, help)); the module is imported only when
its subcommand runs, so heavy dependencies of one benchmark never slow down or break another. Every runner
prints human-readable figures and, as its last line, one JSON object with the headline metrics.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

COMMANDS: dict[str, tuple[str, str, str]] = {
    "clinc150": ("ai.eval.clinc", "run_clinc150", "CLINC150 'full' data_full.json: train, tune on val, test once"),
    "intents": ("ai.eval.intents", "run_intents", "product intent classifier on a JSONL file of {text, intent}"),
    "entities": ("ai.eval.entities", "run_entities", "entity extraction benchmark"),
    "multiwoz": ("ai.eval.entities", "run_multiwoz", "MultiWOZ benchmark"),
}


def _runner(name: str) -> Callable[[str], object]:
    module, function, _ = COMMANDS[name]
    runner: Callable[[str], object] = getattr(importlib.import_module(module), function)
    return runner


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ai.eval", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, _, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text).add_argument("path", help="data file")
    args = parser.parse_args(argv)
    _runner(args.command)(args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
