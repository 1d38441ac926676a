"""Open data of a questionnaire: its results (from the tallies) and its anonymised responses
(no account, no pseudonym, no source id; texts as masked when stored), as CSV and JSON, each
described by a Table Schema (https://specs.frictionlessdata.io/table-schema/)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from .models import AnswerChoice, Question, Questionnaire, Response, ResponseState
from .queries import Results, ordered_questions

RESULTS_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "question_numero",
            "type": "integer",
            "title": "Numéro de la question",
            "constraints": {"required": True, "minimum": 1},
        },
        {
            "name": "question",
            "type": "string",
            "title": "Texte de la question",
            "constraints": {"required": True},
        },
        {
            "name": "nature",
            "type": "string",
            "title": "Nature de la question",
            "constraints": {
                "required": True,
                "enum": [
                    "unique",
                    "multiple",
                    "classement",
                    "echelle",
                    "texte-court",
                    "texte-long",
                ],
            },
        },
        {
            "name": "reponse",
            "type": "string",
            "title": "Choix, ou valeur de l'échelle ; vide : ligne du nombre de répondants",
        },
        {
            "name": "nombre",
            "type": "integer",
            "title": "Nombre de répondants (choix, valeur)",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "base",
            "type": "integer",
            "title": "Répondants à la question",
            "constraints": {"required": True, "minimum": 0},
        },
        {"name": "part_pourcent", "type": "number", "title": "nombre / base × 100"},
        {"name": "rang_moyen", "type": "number", "title": "Rang moyen (classements)"},
        {"name": "moyenne", "type": "number", "title": "Moyenne (échelles)"},
    ],
    "missingValues": [""],
}

RESPONSES_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "reponse",
            "type": "integer",
            "title": "Numéro de la réponse dans ce fichier (ni compte, ni pseudonyme)",
            "constraints": {"required": True, "minimum": 1},
        },
        {
            "name": "public",
            "type": "string",
            "title": "Public du répondant",
            "constraints": {"required": True, "enum": ["usager", "agent", "inconnu"]},
        },
        {"name": "departement", "type": "string", "title": "Code du département (facultatif)"},
        {
            "name": "question_numero",
            "type": "integer",
            "title": "Numéro de la question",
            "constraints": {"required": True, "minimum": 1},
        },
        {"name": "choix", "type": "string", "title": "Choix coché ou classé"},
        {
            "name": "rang",
            "type": "integer",
            "title": "Rang donné au choix (classements)",
            "constraints": {"minimum": 1},
        },
        {"name": "valeur", "type": "integer", "title": "Valeur (échelles)"},
        {
            "name": "texte",
            "type": "string",
            "title": "Texte libre ou précision « Autre », données personnelles masquées",
        },
    ],
    "missingValues": [""],
}

SCHEMAS = {"resultats": RESULTS_SCHEMA, "reponses": RESPONSES_SCHEMA}
RESULTS_COLUMNS = [f["name"] for f in RESULTS_SCHEMA["fields"]]
RESPONSES_COLUMNS = [f["name"] for f in RESPONSES_SCHEMA["fields"]]


def schema_response(name: str) -> HttpResponse:
    response = JsonResponse(SCHEMAS[name], json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="{name}.schema.json"'
    return response


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def results_rows(found: Results) -> Iterator[dict[str, Any]]:
    for _section, question_results in found.sections:
        for result in question_results:
            question = result.question
            base = {
                "question_numero": result.number,
                "question": question.text,
                "nature": question.kind,
                "base": result.answered,
            }
            yield {
                **base,
                "reponse": None,
                "nombre": result.answered,
                "part_pourcent": None,
                "rang_moyen": None,
                "moyenne": _round(result.mean, 4),
            }
            for choice in result.choices:
                yield {
                    **base,
                    "reponse": choice.choice.label,
                    "nombre": choice.count,
                    "part_pourcent": _round(choice.share, 4),
                    "rang_moyen": _round(choice.mean_rank, 4),
                    "moyenne": None,
                }
            for value, count, share in result.distribution:
                yield {
                    **base,
                    "reponse": str(value),
                    "nombre": count,
                    "part_pourcent": _round(share, 4),
                    "rang_moyen": None,
                    "moyenne": None,
                }


def _csv_value(value: Any) -> str:
    return "" if value is None else str(value)


def results_response(
    questionnaire: Questionnaire, found: Results, fmt: str, *, schema_url: str
) -> HttpResponse:
    rows = list(results_rows(found))
    filename = f"questionnaire-{questionnaire.pk}-resultats"
    if fmt == "json":
        payload = {
            "questionnaire": questionnaire.title,
            "repondants": found.respondents,
            "schema": schema_url,
            "resultats": rows,
        }
        response: HttpResponse = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Link"] = f'<{schema_url}>; rel="describedby"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(RESULTS_COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in RESULTS_COLUMNS])
    return response


def response_rows(questionnaire: Questionnaire, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """One row per answered choice, rank, value or text; responses numbered in this file."""
    questions: dict[int, Question] = {q.pk: q for q in ordered_questions(questionnaire)}
    numbers = {pk: n for n, pk in enumerate(questions, start=1)}
    labels = {c.pk: c.label for q in questions.values() for c in q.choices.all()}
    submitted = (
        Response.objects.filter(questionnaire=questionnaire, state=ResponseState.SUBMITTED)
        .select_related("departement")
        .prefetch_related("answers", "choices")
        .order_by("id")
    )
    for number, response in enumerate(submitted.iterator(chunk_size=chunk), start=1):
        base = {
            "reponse": number,
            "public": response.audience,
            "departement": response.departement.code if response.departement else None,
        }
        chosen: dict[int, list[AnswerChoice]] = {}
        for item in response.choices.all():
            chosen.setdefault(item.question_id, []).append(item)
        for answer in sorted(response.answers.all(), key=lambda a: numbers[a.question_id]):
            row = {
                **base,
                "question_numero": numbers[answer.question_id],
                "choix": None,
                "rang": None,
                "valeur": answer.number,
                "texte": answer.text or None,
            }
            items = sorted(chosen.get(answer.question_id, []), key=lambda c: (c.rank or 0, c.pk))
            if not items:
                yield row
            for index, item in enumerate(items):
                yield {
                    **row,
                    "choix": labels[item.choice_id],
                    "rang": item.rank,
                    "texte": row["texte"] if index == 0 else None,
                }


def responses_response(
    questionnaire: Questionnaire, fmt: str, *, schema_url: str
) -> StreamingHttpResponse:
    filename = f"questionnaire-{questionnaire.pk}-reponses"
    if fmt == "json":

        def json_lines() -> Iterator[str]:
            yield '{"schema": ' + json.dumps(schema_url) + ', "reponses": ['
            for index, row in enumerate(response_rows(questionnaire)):
                yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
            yield "]}"

        stream = StreamingHttpResponse(json_lines(), content_type="application/json")
        stream["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return stream

    def csv_lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(RESPONSES_COLUMNS)
        for row in response_rows(questionnaire):
            writer.writerow([_csv_value(row[c]) for c in RESPONSES_COLUMNS])
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    stream = StreamingHttpResponse(csv_lines(), content_type="text/csv; charset=utf-8")
    stream["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    stream["Link"] = f'<{schema_url}>; rel="describedby"'
    return stream
