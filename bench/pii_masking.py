"""Speed of personal-data masking, alone and inside the SP+ experiences importer (issue 8).

1. Masking alone (`mask_many`), texts per second, on two sets of 50,000 texts:
   - "sp-plus": the 855 real SP+ texts (lower case, no accents, no punctuation), cycled;
   - "mixed case": real Decidim MEL comments and the labelled corpus' texts (real prose with
     GENERATED personal data inserted), cycled: capitals wake the NER model up.
   Texts are repeated, never cached: each one is masked from scratch.
2. The importer (`load_spplus_experiences`) on PostgreSQL, rows per second, end to end (CSV
   read, keys checked, masked, bulk-created), against COPY of the very same final rows into
   the same table (its indexes in place), and the ratio. The CSV holds GENERATED rows: real SP+
   texts, each made unique with a "(copie n)" suffix so that none is skipped as a repeat.
   Runs in a throw-away database `<BENCH_PII_DATABASE_URL db>_bench` (created, then dropped).

    .venv/bin/python -m bench.pii_masking               # 50,000 texts / rows
    .venv/bin/python -m bench.pii_masking --full        # 1,000,000 rows (the 30-minute case)
    BENCH_PII_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecoute_pii  (default)

Raw results: bench/results/pii_masking-<date>.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SP_PLUS = ROOT / "data" / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
DECIDIM = Path("/work/shared/data/consultation-decidim-mel/commentaires_debats.csv")
CORPUS = ROOT / "data" / "pii-corpus" / "tune.jsonl"
DATABASE_URL = os.environ.get(
    "BENCH_PII_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ecoute_pii"
)


def _sp_rows() -> list[dict[str, str]]:
    with SP_PLUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _mixed_texts() -> list[str]:
    texts = []
    if DECIDIM.exists():
        with DECIDIM.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle, delimiter=";") if row["body"]]
    with CORPUS.open(encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle]
    return texts


def _time_masking(texts: list[str]) -> dict[str, Any]:
    from ecoute.moderation.masking import mask_many

    list(mask_many(texts[:300]))  # warm up: model load, regex compilation
    started = time.perf_counter()
    cpu = time.process_time()
    masked = sum(result.count for result in mask_many(texts))
    wall = time.perf_counter() - started
    return {
        "texts": len(texts),
        "chars_mean": round(sum(map(len, texts)) / len(texts)),
        "seconds": round(wall, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "texts_per_s": round(len(texts) / wall),
        "items_masked": masked,
    }


def masking_alone(count: int) -> dict[str, Any]:
    sp = [" ".join(row["Description"].split()) for row in _sp_rows()]
    mixed = _mixed_texts()
    return {
        "sp-plus (real, lower case)": _time_masking(
            list(itertools.islice(itertools.cycle(sp), count))
        ),
        "mixed case (real + generated PII)": _time_masking(
            list(itertools.islice(itertools.cycle(mixed), count))
        ),
    }


def _write_csv(path: Path, rows: int) -> None:
    source = _sp_rows()
    header = list(source[0].keys())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=";")
        writer.writeheader()
        for index in range(rows):
            row = dict(source[index % len(source)])
            row["Description"] = f"{row['Description'].strip()} (copie {index})"
            writer.writerow(row)


def importer(rows: int) -> dict[str, Any]:
    """In a process whose DATABASE_URL is the PostgreSQL server: import, then COPY."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import GeneratedField
    from django.test.utils import setup_test_environment

    from ecoute.catalogue.models import Network
    from ecoute.experiences.importers import SP_EXPERIENCES, load_spplus_experiences
    from ecoute.experiences.models import Experience

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"{connection.settings_dict['NAME']}_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        Network.objects.get_or_create(slug="pole-emploi", defaults={"name": "Pôle emploi"})
        with tempfile.TemporaryDirectory() as tmp:
            _write_csv(Path(tmp) / SP_EXPERIENCES, rows)
            started = time.perf_counter()
            cpu = time.process_time()
            report = load_spplus_experiences(Path(tmp))
            import_s = time.perf_counter() - started
            import_cpu = time.process_time() - cpu
        created = report.tables[0].created
        fields = [f for f in Experience._meta.concrete_fields if not isinstance(f, GeneratedField)]
        fields = [f for f in fields if not f.primary_key]
        columns = [f.column for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {", ".join(columns)} FROM "{Experience._meta.db_table}"'  # noqa: S608
            )
            stored = cursor.fetchall()
        Experience.objects.all().delete()
        buffer = io.StringIO()
        for row in stored:
            buffer.write("\t".join(_copy_text(value) for value in row) + "\n")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with (
                cursor.connection.cursor() as raw,
                raw.copy(
                    f'COPY "{Experience._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
                ) as copy,
            ):
                copy.write(buffer.getvalue())
        copy_s = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return {
        "rows": rows,
        "created": created,
        "database": "PostgreSQL (throw-away database on the local server)",
        "importer_seconds": round(import_s, 1),
        "importer_rows_per_s": round(created / import_s),
        "importer_python_cpu_seconds": round(import_cpu, 1),
        "copy_seconds": round(copy_s, 2),
        "copy_rows_per_s": round(created / copy_s),
        "copy_to_importer_ratio": round((created / copy_s) / (created / import_s), 1),
    }


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def run(full: bool = False) -> dict[str, Any]:
    rows = 1_000_000 if full else 50_000
    result: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores (shared with other jobs)",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "masking_alone": masking_alone(50_000),
    }
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.pii_masking", "--importer-only", str(rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result["importer"] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"pii_masking-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"raw results written to {path.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="1,000,000 rows for the importer")
    parser.add_argument("--importer-only", type=int, metavar="ROWS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.importer_only:
        print(json.dumps(importer(args.importer_only)))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        run(full=args.full)
