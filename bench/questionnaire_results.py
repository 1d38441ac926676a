"""A questionnaire's results page at 1 M responses against 1 k, on PostgreSQL (issue 11).

Each volume lives in its own PostgreSQL database on the same server
(`ecoute_bench_quest_1k`, `ecoute_bench_quest_1m`), migrated and filled by COPY: the seed
questionnaire « Le service public en 12 questions » (its consultation closed, so its results
are public), `size` submitted responses without accounts (audience usager / agent 60 / 40,
département Zipf-distributed over 101, 20 % not given), the free-text answers of its long-text
questions (about 35 % of responses write one), and the tallies those responses make, counted
by the generator exactly as `submit_response` would add them. The choice rows of each response
(`AnswerChoice`) are not written: no page reads them (the results page reads the tallies, the
free-text page the text answers), and writing ~15 M rows would only lengthen the load.

Timing: as bench/pages_scale.py (two worker processes, one per database, Django's test client
in-process, anonymous; p50 / p95 and the ratio large / small, plus each page's database cost).
Target: every page within 1.5× between 1 k and 1 M.

    .venv/bin/python -m bench.questionnaire_results            # 1 k vs 1 M
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (default)
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import pages_scale
from bench.pages_scale import (
    _copy,
    _copy_fields,
    _drop_secondary_indexes,
    _restore_indexes,
    _row,
    _stamp,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = "1"
CHUNK = 200_000
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + [
    "2A",
    "2B",
    "971",
    "972",
    "973",
    "974",
]
TEXTS = [
    "Aucun rendez-vous disponible avant trois mois pour renouveler ma carte d'identité.",
    "Le site plante au moment de valider, il faut tout recommencer.",
    "Garder un accueil physique dans chaque canton, avec des horaires le samedi.",
    "Un seul interlocuteur qui suit le dossier du début à la fin.",
    "La maison France services de ma commune m'a aidé en une demi-heure.",
]
MODULE = "bench.questionnaire_results"


def database_name(size: int) -> str:
    label = f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"
    return f"ecoute_bench_quest_{label}"


def _cumulative(count: int) -> list[float]:
    weights = [1 / (rank + 1) ** 1.05 for rank in range(count)]
    total, running, out = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        out.append(running)
    return out


def generate(size: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ecoute.consultations.actions import refresh_dates
    from ecoute.questionnaires.actions import store_tallies
    from ecoute.questionnaires.models import (
        ANSWERED,
        Answer,
        QuestionKind,
        RespondentTally,
        Response,
        Tally,
    )
    from ecoute.questionnaires.queries import ordered_questions
    from ecoute.questionnaires.seed import load_seed_questionnaire
    from ecoute.territories.models import Departement, Region

    description = f"quest v{GENERATOR_VERSION} size={size}"
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if _stamp(cursor) == description:
            return {"reused": True, "size": size}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Tally, RespondentTally, Answer, Response):
            cursor.execute(f'TRUNCATE "{model._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM bench_stamp")
    region, _ = Region.objects.get_or_create(code="99", defaults={"name": "Région (bench)"})
    for code in DEPARTEMENTS:
        Departement.objects.get_or_create(
            code=code, defaults={"name": f"Département {code}", "region": region}
        )
    questionnaire = load_seed_questionnaire()
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101
    past = timezone.localdate() - dt.timedelta(days=10)
    consultation.phases.update(starts_on=past - dt.timedelta(days=60), ends_on=past)
    refresh_dates(consultation=consultation)
    questions = ordered_questions(questionnaire)
    rng = random.Random(size)
    weights = _cumulative(len(DEPARTEMENTS))
    tallies: Counter[tuple[int, int, int, str, str]] = Counter()
    respondents: Counter[tuple[str, str]] = Counter()
    response_fields = _copy_fields(Response)
    answer_fields = _copy_fields(Answer)
    tables = [Response._meta.db_table, Answer._meta.db_table]
    dropped = _drop_secondary_indexes(connection, tables)
    raw = connection.connection
    now = timezone.now()
    answer_id = 1
    for chunk_start in range(0, size, CHUNK):
        count = min(CHUNK, size - chunk_start)
        responses, answers = io.StringIO(), io.StringIO()
        for offset in range(count):
            response_id = chunk_start + offset + 1
            audience = "agent" if rng.random() < 0.4 else "usager"
            code = (
                ""
                if rng.random() < 0.2
                else DEPARTEMENTS[min(bisect.bisect(weights, rng.random()), len(DEPARTEMENTS) - 1)]
            )
            respondents[(audience, code)] += 1
            responses.write(
                _row(
                    response_fields,
                    {
                        "id": response_id,
                        "questionnaire_id": questionnaire.pk,
                        "respondent_key": f"bench:{response_id}",
                        "state": "envoyee",
                        "audience": audience,
                        "departement_id": code or None,
                        "tallied": [],
                        "created_at": now,
                        "updated_at": now,
                        "submitted_at": now,
                    },
                )
            )
            difficulty = None
            for question in questions:
                choices = list(question.choices.all())
                if question.condition_question_id and difficulty != "Oui":
                    continue
                if not question.required and rng.random() < 0.3:
                    continue
                key = (question.pk, 0, ANSWERED, audience, code)
                if question.kind == QuestionKind.SINGLE:
                    choice = rng.choice(choices)
                    if question.text.startswith("Avez-vous rencontré"):
                        difficulty = choice.label
                    tallies[(question.pk, choice.pk, 0, audience, code)] += 1
                elif question.kind == QuestionKind.MULTIPLE:
                    for choice in rng.sample(choices, rng.randint(1, question.max_choices or 3)):
                        tallies[(question.pk, choice.pk, 0, audience, code)] += 1
                elif question.kind == QuestionKind.RANKING:
                    order = rng.sample(choices, len(choices))
                    for rank, choice in enumerate(order, start=1):
                        tallies[(question.pk, choice.pk, rank, audience, code)] += 1
                elif question.kind == QuestionKind.SCALE:
                    value = rng.randint(question.scale_min or 0, question.scale_max or 0)
                    tallies[(question.pk, 0, value, audience, code)] += 1
                elif question.kind == QuestionKind.LONG_TEXT and (
                    question.required or rng.random() < 0.5
                ):
                    answers.write(
                        _row(
                            answer_fields,
                            {
                                "id": answer_id,
                                "response_id": response_id,
                                "question_id": question.pk,
                                "text": f"{rng.choice(TEXTS)} ({response_id})",
                                "number": None,
                                "topic_id": None,
                            },
                        )
                    )
                    answer_id += 1
                else:
                    continue
                tallies[key] += 1
        _copy(raw, tables[0], response_fields, responses)
        _copy(raw, tables[1], answer_fields, answers)
        print(f"  {database_name(size)}: {chunk_start + count:,} / {size:,}", file=sys.stderr)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
    _restore_indexes(connection, dropped)
    store_tallies(
        questionnaire=questionnaire, totals=tallies, respondents=respondents, batch_size=5000
    )
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_stamp (description) VALUES (%s)", [description])
    return {
        "reused": False,
        "size": size,
        "text_answers": answer_id - 1,
        "tally_rows": len(tallies),
        "seconds": round(time.perf_counter() - start, 1),
    }


def _setup_urls() -> dict[str, str]:
    from urllib.parse import urlencode

    from ecoute.common.pagination import _encode, _salt
    from ecoute.questionnaires.models import Answer, QuestionKind, Questionnaire
    from ecoute.questionnaires.seed import SEED_KEY

    questionnaire = Questionnaire.objects.select_related("consultation").get(source_key=SEED_KEY)
    assert questionnaire.consultation is not None  # noqa: S101
    base = f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"
    text_question = (
        questionnaire.questions.filter(kind=QuestionKind.LONG_TEXT, condition_question=None)
        .order_by("order")
        .first()
    )
    assert text_question is not None  # noqa: S101
    texts = Answer.objects.filter(question=text_question).exclude(text="")
    middle = texts.order_by("id").values_list("id", flat=True)[texts.count() // 2]
    cursor = _encode([middle], salt=_salt(Answer, ["id"]))
    return {
        "results": f"{base}resultats/",
        "results, agents": f"{base}resultats/?public=agent",
        "results, département 01": f"{base}resultats/?departement=01",
        "results CSV": f"{base}resultats.csv",
        "free texts": f"{base}resultats/questions/{text_question.pk}/",
        "free texts, halfway": f"{base}resultats/questions/{text_question.pk}/?"
        + urlencode({"apres": cursor}),
    }


def worker() -> None:
    pages_scale.worker(_setup_urls)


def main() -> None:
    pages_scale.comparison_main(
        description=__doc__ or "",
        label="questionnaire_results",
        module=MODULE,
        name_of=database_name,
        generate=generate,
        worker=worker,
        sizes=[1_000, 1_000_000],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
