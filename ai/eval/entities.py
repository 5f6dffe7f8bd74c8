"""Evaluation of ``ai.nlu.entities.extraction.extract``: our hand-written JSONL set and the MultiWOZ slot spans.

    python -m ai.eval entities ai/data/entities_eval.jsonl
    python -m ai.eval multiwoz ../shared/datasets/multiwoz_slots/test.jsonl

Both print precision/recall/F1 per type (or slot group) and end with one JSON line; the
functions return that final dict. ``python -m ai.eval.entities {entities|multiwoz} FILE [--errors]``
does the same without the dispatcher.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ai.eval.multiwoz import GROUPS, build_catalog, dev_path_for, gold_spans, match_line, predicted_spans
from ai.nlu.entities.extraction import Catalog, extract

Tally = dict[str, Counter[str]]


def run_entities(path: str, show_errors: bool = False) -> dict[str, Any]:
    """Score the hand-written set: per line, (type, value) multisets are compared (spans are not labelled)."""
    lines = _read_jsonl(path)
    catalog: Catalog | None = None
    if lines and "catalog" in lines[0] and "text" not in lines[0]:
        catalog = Catalog(lines.pop(0)["catalog"])
    tally: Tally = {}
    started = time.perf_counter()
    for row in lines:
        found = extract(row["text"], row["now"], row["tz"], catalog, phone_region=row.get("phone_region", "US"))
        gold = Counter((g["type"], _norm_value(g["value"])) for g in row["entities"])
        pred = Counter((e.type, _norm_value(e.value)) for e in found)
        for (kind, _value), count in (gold & pred).items():
            _bump(tally, kind, "tp", count)
        for (kind, value), count in (pred - gold).items():
            _bump(tally, kind, "fp", count)
            _error(show_errors, "FP", kind, value, row["text"])
        for (kind, value), count in (gold - pred).items():
            _bump(tally, kind, "fn", count)
            _error(show_errors, "FN", kind, value, row["text"])
    elapsed_ms = (time.perf_counter() - started) * 1000 / max(len(lines), 1)
    return _report(tally, len(lines), "type", elapsed_ms)


def run_multiwoz(path: str, show_errors: bool = False) -> dict[str, Any]:
    """Score slot spans on a MultiWOZ split, with a place catalog built from the dev split only."""
    catalog = build_catalog(_read_jsonl(str(dev_path_for(path))))
    rows = _read_jsonl(path)
    tally: Tally = {group: Counter() for group in GROUPS}
    started = time.perf_counter()
    for row in rows:
        gold = gold_spans(row, catalog)
        pred = predicted_spans(row["text"], catalog)
        for outcome, group, span in match_line(gold, pred):
            _bump(tally, group, outcome)
            if outcome != "tp":
                _error(show_errors, outcome.upper(), group, f"{span.value} [{span.text}]", row["text"])
    elapsed_ms = (time.perf_counter() - started) * 1000 / max(len(rows), 1)
    return _report(tally, len(rows), "group", elapsed_ms)


def _norm_value(value: Any) -> str:
    return str(value).strip().lower()


def _bump(tally: Tally, kind: str, outcome: str, count: int = 1) -> None:
    tally.setdefault(kind, Counter())[outcome] += count


def _error(enabled: bool, outcome: str, kind: str, value: str, text: str) -> None:
    if enabled:
        print(f"{outcome}\t{kind}\t{value}\t{text}", file=sys.stderr)


def _prf(c: Counter[str]) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _report(tally: Tally, n: int, label: str, elapsed_ms: float) -> dict[str, Any]:
    print(f"{label:<16} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'tp':>6} {'fp':>6} {'fn':>6}")
    total: Counter[str] = Counter()
    for kind in sorted(tally):
        c = tally[kind]
        total.update(c)
        p, r, f = _prf(c)
        print(f"{kind:<16} {p:6.3f} {r:6.3f} {f:6.3f} {c['tp'] + c['fn']:6d} {c['tp']:6d} {c['fp']:6d} {c['fn']:6d}")
    p, r, f = _prf(total)
    print(f"{'micro':<16} {p:6.3f} {r:6.3f} {f:6.3f} {total['tp'] + total['fn']:6d}")
    print(f"mean extraction + scoring time per line: {elapsed_ms:.2f} ms")
    result = {
        "micro_f1": round(f, 4),
        "n": n,
        "micro_precision": round(p, 4),
        "micro_recall": round(r, 4),
        f"f1_per_{label}": {kind: round(_prf(c)[2], 4) for kind, c in sorted(tally.items())},
    }
    print(json.dumps(result))
    return result


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    show_errors = "--errors" in args
    args = [a for a in args if a != "--errors"]
    if len(args) != 2 or args[0] not in ("entities", "multiwoz"):
        print("usage: python -m ai.eval.entities {entities|multiwoz} FILE.jsonl [--errors]", file=sys.stderr)
        return 2
    runner = run_entities if args[0] == "entities" else run_multiwoz
    runner(args[1], show_errors=show_errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
