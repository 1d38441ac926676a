"""Quality of personal-data masking on the labelled corpus (data/pii-corpus/, see SOURCE.md):
per kind, recall, precision and the share of must-keep look-alikes left intact, on the TUNE
set and on the HELD-OUT set side by side.

Definitions (character spans, original text):
- an entity is *found* when every one of its non-space characters lies inside predicted
  spans (of any kind: what matters is that nobody sees it); *typed recall* also requires the
  covering spans to be of the entity's kind;
- a predicted span is *correct* when it overlaps a labelled entity (any kind); precision of a
  kind = correct spans of that kind / predicted spans of that kind. Real base texts may
  contain unlabelled personal data, so precision is a lower bound;
- a look-alike to keep is *intact* when no predicted span overlaps it.

Run: .venv/bin/python -m bench.pii_quality [--failures tune]   (raw json to bench/results/)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from ecoute.moderation.masking import mask_many

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "pii-corpus"
RESULTS = ROOT / "bench" / "results"
KINDS = ["email", "phone", "nir", "iban", "name", "address", "file_number", "birth_date"]


def load(name: str) -> list[dict[str, Any]]:
    with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def evaluate(records: list[dict[str, Any]], failures: list[str] | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    results = list(mask_many(r["text"] for r in records))
    took = time.perf_counter() - started
    counts = {
        k: {"entities": 0, "found": 0, "typed": 0, "predicted": 0, "correct": 0} for k in KINDS
    }
    keep_total = keep_intact = 0
    for record, result in zip(records, results, strict=True):
        text = record["text"]
        covered: dict[int, str] = {}
        for span in result.spans:
            for i in range(span.start, span.end):
                covered[i] = span.kind
        for entity in record["entities"]:
            chars = [i for i in range(entity["start"], entity["end"]) if not text[i].isspace()]
            stats = counts[entity["kind"]]
            stats["entities"] += 1
            if all(i in covered for i in chars):
                stats["found"] += 1
                if all(covered[i] == entity["kind"] for i in chars):
                    stats["typed"] += 1
            elif failures is not None:
                failures.append(
                    f"MISS {entity['kind']}: {text[entity['start'] : entity['end']]!r} in "
                    f"…{text[max(0, entity['start'] - 60) : entity['end'] + 40]!r}… → "
                    f"{[(text[s.start : s.end], s.kind) for s in result.spans]}"
                )
        for span in result.spans:
            stats = counts[span.kind]
            stats["predicted"] += 1
            if any(e["start"] < span.end and span.start < e["end"] for e in record["entities"]):
                stats["correct"] += 1
            elif failures is not None:
                failures.append(
                    f"FALSE {span.kind}: {text[span.start : span.end]!r} in "
                    f"…{text[max(0, span.start - 50) : span.end + 30]!r}…"
                )
        for kept in record["keep"]:
            keep_total += 1
            if not any(s.start < kept["end"] and kept["start"] < s.end for s in result.spans):
                keep_intact += 1
            elif failures is not None:
                failures.append(
                    f"KEEP broken: {text[kept['start'] : kept['end']]!r} → "
                    f"{[(text[s.start : s.end], s.kind) for s in result.spans]}"
                )
    per_kind = {}
    for kind, stats in counts.items():
        per_kind[kind] = {
            **stats,
            "recall": round(stats["found"] / stats["entities"], 3) if stats["entities"] else None,
            "typed_recall": round(stats["typed"] / stats["entities"], 3)
            if stats["entities"]
            else None,
            "precision": round(stats["correct"] / stats["predicted"], 3)
            if stats["predicted"]
            else None,
        }
    return {
        "texts": len(records),
        "seconds": round(took, 2),
        "per_kind": per_kind,
        "keep": {
            "total": keep_total,
            "intact": keep_intact,
            "kept_harmless": round(keep_intact / keep_total, 3) if keep_total else None,
        },
    }


def run(full: bool = False) -> dict[str, Any]:
    result = {name: evaluate(load(name)) for name in ("tune", "heldout")}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"pii_quality-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table(result))
    print(f"raw results written to {path.relative_to(ROOT)}")
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        "| kind | recall tune | recall held-out | precision tune | precision held-out "
        "| n tune / held-out |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    tune, held = result["tune"]["per_kind"], result["heldout"]["per_kind"]
    for kind in KINDS:
        lines.append(
            f"| {kind} | {tune[kind]['recall']} | {held[kind]['recall']} | "
            f"{tune[kind]['precision']} | {held[kind]['precision']} | "
            f"{tune[kind]['entities']} / {held[kind]['entities']} |"
        )
    lines.append(
        f"| kept harmless | {result['tune']['keep']['kept_harmless']} | "
        f"{result['heldout']['keep']['kept_harmless']} | | | "
        f"{result['tune']['keep']['total']} / {result['heldout']['keep']['total']} |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", choices=["tune"], help="print the tuning set's failures")
    args = parser.parse_args()
    if args.failures:
        found: list[str] = []
        print(json.dumps(evaluate(load("tune"), found)["per_kind"], indent=1))
        print("\n".join(found))
    else:
        run()
