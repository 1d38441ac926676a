"""`python -m bench [--full]`: run every bench/*.py module exposing run(), print the results and
write them, dated with the command and machine, to bench/results/run-<date>.md. The short
summary in docs/benchmarks.md is written by hand from these raw runs."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc), {memory} RAM, Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="pass full=True to every bench")
    parser.add_argument("only", nargs="*", help="run only these benches (e.g. pages topics)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    sections = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("_") or (args.only and info.name not in args.only):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if not callable(getattr(module, "run", None)):
            continue
        print(f"== bench.{info.name}", flush=True)
        start = time.perf_counter()
        # Each bench in its own process: peak RSS (ru_maxrss) is per process, so a bench run
        # after a memory-hungry one would otherwise report the other's peak.
        code = (
            "import json, sys, django; django.setup(); "
            f"from bench.{info.name} import run; "
            f"sys.stdout.write('\\n@@RESULT@@' + json.dumps(run(full={args.full!r}), default=str))"
        )
        completed = subprocess.run(  # noqa: S603 - fixed interpreter and module names
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        sys.stderr.write(completed.stderr)
        progress, _marker, payload = completed.stdout.rpartition("@@RESULT@@")
        sys.stdout.write(progress)
        result = json.loads(payload)
        took = time.perf_counter() - start
        text = json.dumps(result, indent=2, ensure_ascii=False, default=str)
        print(text, flush=True)
        sections.append(f"### bench.{info.name} ({took:.0f} s)\n\n```json\n{text}\n```\n")
    command = " ".join(["python -m bench", *(["--full"] if args.full else []), *args.only])
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = f"\n## {now}\n\n- command: `{command}`\n- machine: {machine()}\n\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"run-{dt.datetime.now(dt.UTC).strftime('%Y%m%d-%H%M')}.md"
    path.write_text(f"# Benchmark run{header}" + "\n".join(sections), encoding="utf-8")
    print(f"raw results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
