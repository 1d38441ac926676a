"""The answer-writing page (templates + suggested drafts) with 1,000 and 100,000 answered
experiences in the network: the page reads a prebuilt index, so its time should not follow
the network's size.

Throw-away in-memory SQLite test database. Answered experiences are generated from the 855
real SP+ texts (each a real text followed by a few words of another, so that texts differ),
written in bulk with their answers; `build_answer_suggestions` writes each network's index
(timed); then the page of a new experience is requested 30 times (median, queries), the
first request (loading the index file) timed apart. Also timed: the first request with no
index file (the bounded fallback over the 2,000 most recent answered experiences).

    .venv/bin/python -m bench.answer_compose_page [--full]   (--full: 100k; else 1k and 20k)
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

REPEAT = 30  # as bench.pages, whose _time_page is used


def _texts() -> list[str]:
    from bench.answer_suggestions import load

    return load()


def _populate(size: int, tag: str, texts: list[str]) -> dict[str, Any]:
    from django.utils import timezone

    from ecoute.experiences.models import Answer, Experience, ExperienceStatus
    from tests.factories import (
        AgentMembershipFactory,
        AnswerTemplateFactory,
        ContactPointFactory,
        ExperienceFactory,
        NetworkFactory,
        OrganisationFactory,
    )

    rng = random.Random(size)
    network = NetworkFactory(name=f"Réseau {tag}", slug=f"reseau-{tag}")
    organisation = OrganisationFactory(network=network, name=f"Agence {tag}")
    point = ContactPointFactory(organisation=organisation)
    agent = AgentMembershipFactory(organisation=organisation).user
    AnswerTemplateFactory.create_batch(8, organisation=organisation)
    now = timezone.now()
    start = time.perf_counter()
    for offset in range(0, size, 5000):
        rows = []
        for index in range(offset, min(size, offset + 5000)):
            extra = " ".join(rng.choice(texts).split()[:8])
            rows.append(
                Experience(
                    author=agent,
                    contact_point=point,
                    network=network,
                    organisation=organisation,
                    title=f"Expérience {tag} {index}",
                    body=f"{rng.choice(texts)} {extra}",
                    status=ExperienceStatus.PUBLISHED,
                    published_at=now,
                    is_answered=True,
                    first_answered_at=now,
                    source_key=f"bench:{tag}:{index}",
                )
            )
        created = Experience.objects.bulk_create(rows, batch_size=1000)
        Answer.objects.bulk_create(
            [
                Answer(
                    experience=row,
                    author=agent,
                    organisation=organisation,
                    body=f"Réponse du service à l'expérience {row.pk}.",
                )
                for row in created
            ],
            batch_size=1000,
        )
    written = time.perf_counter() - start
    experience = ExperienceFactory(
        contact_point=point,
        published=True,
        title="Actualisation impossible",
        body="impossible de m actualiser sur le site de pole emploi depuis trois jours",
    )
    return {"network": network, "agent": agent, "experience": experience, "written_s": written}


def index_query_cpu(sizes: tuple[int, ...], texts: list[str]) -> dict[str, Any]:
    """CPU time of the index query alone (top 12, as suggestions.suggest), no database."""
    from ecoute.analysis.similar import SimilarityIndex
    from ecoute.answering.suggestions import CANDIDATES, N_FEATURES

    rng = random.Random(1)
    query = "Actualisation impossible\nimpossible de m actualiser sur le site de pole emploi"
    found: dict[str, Any] = {}
    for size in sizes:
        docs = [
            f"Expérience {i}\n{rng.choice(texts)} {' '.join(rng.choice(texts).split()[:8])}"
            for i in range(size)
        ]
        for max_postings in (400_000, 100_000):
            index = SimilarityIndex(n_features=N_FEATURES, max_postings=max_postings)
            index.add(range(size), docs)
            timings = []
            for _ in range(REPEAT):
                start = time.process_time()
                index.query(query, k=CANDIDATES)
                timings.append(time.process_time() - start)
            key = f"{size}_max_postings_{max_postings}"
            found[key] = round(sorted(timings)[len(timings) // 2] * 1000, 2)
    return found


def run(full: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.pages import _time_page
    from ecoute.answering import suggestions

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    texts = _texts()
    sizes = (1_000, 100_000) if full else (1_000, 20_000)
    results: dict[str, Any] = {"repeat": REPEAT, "sizes": {}}
    with tempfile.TemporaryDirectory() as directory:
        settings.ECOUTE_ANSWER_INDEX_DIR = Path(directory)
        for size in sizes:
            case = _populate(size, f"n{size}", texts)
            client = Client()
            client.force_login(case["agent"])
            url = f"/experiences/{case['experience'].pk}/rediger/"
            suggestions.clear_cache()
            start = time.perf_counter()
            client.get(url)
            fallback_first_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            call_command("build_answer_suggestions", network=[case["network"].pk], verbosity=0)
            build_s = time.perf_counter() - start
            path = suggestions.index_path(case["network"].pk)
            start = time.perf_counter()
            client.get(url)  # loads the file (the fallback index is replaced)
            load_first_ms = (time.perf_counter() - start) * 1000
            results["sizes"][size] = {
                "rows_written_s": round(case["written_s"], 1),
                "index_build_s": round(build_s, 2),
                "index_file_mb": round(path.stat().st_size / 1e6, 1),
                "first_request_without_file_ms": round(fallback_first_ms, 1),
                "first_request_loading_file_ms": round(load_first_ms, 1),
                "page": _time_page(client, url),
                "suggestions_shown": b'data-testid="suggestion-' in client.get(url).content,
            }
    results["index_query_cpu_median_ms"] = index_query_cpu(sizes, texts)
    small, large = (results["sizes"][size]["page"] for size in sizes)
    results["ratio_large_to_small_median"] = round(large["median_ms"] / small["median_ms"], 2)
    results["ratio_large_to_small_p95"] = round(large["p95_ms"] / small["p95_ms"], 2)
    results["data"] = "generated from the 855 real SP+ texts, in-memory SQLite"
    return results


if __name__ == "__main__":
    import argparse
    import datetime as dt

    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    result = run(full=args.full)
    print(json.dumps(result, indent=2))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    out = Path(__file__).resolve().parent / "results" / f"answer_compose_page-{stamp}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
