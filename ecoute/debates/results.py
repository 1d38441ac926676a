"""The debates' results of a consultation: counts per section, most supported proposals, the
organiser's answers, the opinion groups (stored by `compute_debate_opinions`), and the
contributions as CSV / JSON with a Table Schema (frictionless)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.common.charts import AXIS, GRID, SERIES_COLOURS, TEXT
from ecoute.consultations.models import Consultation

from . import permissions
from .models import AnswerStatus, Contribution, OpinionMap, Section, SectionKind, Visibility
from .views import consultation_url

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "integer", "description": "Identifiant de la contribution"},
    {"name": "section", "type": "string", "description": "Section du débat"},
    {"name": "titre", "type": "string"},
    {
        "name": "texte",
        "type": "string",
        "description": "Texte publié (données personnelles masquées)",
    },
    {"name": "categorie", "type": "string"},
    {"name": "contribution_organisateur", "type": "boolean"},
    {"name": "epinglee", "type": "boolean"},
    {"name": "importee", "type": "boolean", "description": "Importée d'une autre plateforme"},
    {"name": "creee_le", "type": "datetime"},
    {"name": "modifiee_le", "type": "datetime"},
    {"name": "votes_pour", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "votes_contre", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "votes_mitiges", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "votes_total", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "arguments", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "sources", "type": "integer", "constraints": {"minimum": 0}},
    {
        "name": "suite_donnee",
        "type": "string",
        "constraints": {"enum": [value for value in AnswerStatus.values]},
    },
    {"name": "reponse_officielle", "type": "string"},
]


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = permissions.get_consultation_for_user(request.user, slug)
    if consultation is None:
        raise Http404
    return consultation


def _published(consultation: Consultation) -> Any:
    return Contribution.objects.published().filter(section__consultation=consultation)


def scatter_svg(opinion_map: OpinionMap) -> SafeString:
    """The participants in the plane of the two main components, one colour and shape per
    group (never the colour alone); unclustered participants in grey."""
    points = opinion_map.data.get("points", [])
    width, height, pad, legend = 640, 420, 24, 28
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    sx = (width - 2 * pad) / ((x1 - x0) or 1)
    sy = (height - legend - 2 * pad) / ((y1 - y0) or 1)
    title = _("Carte des participants")
    description = _(
        "Chaque point est un ou une participante, placée selon ses votes : les points proches "
        "ont voté de façon semblable. %(groups)s groupes d'opinion."
    ) % {"groups": len(opinion_map.data.get("groups", []))}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="opinions-svg-title" aria-describedby="opinions-svg-desc" '
        f'font-family="Marianne, arial, sans-serif" data-testid="opinion-map-svg">'
        f'<title id="opinions-svg-title">{escape(title)}</title>'
        f'<desc id="opinions-svg-desc">{escape(description)}</desc>',
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - legend - 1}" fill="none" '
        f'stroke="{GRID}"/>',
    ]
    for x, y, group in points:
        cx = round(pad + (x - x0) * sx, 1)
        cy = round(height - legend - pad - (y - y0) * sy, 1)
        if group < 0:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="none" stroke="{AXIS}"/>')
            continue
        colour = SERIES_COLOURS[group % len(SERIES_COLOURS)]
        if group % 2:
            parts.append(f'<rect x="{cx - 4}" y="{cy - 4}" width="8" height="8" fill="{colour}"/>')
        else:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="4.5" fill="{colour}"/>')
    legend_text = _("Groupes : couleur et forme ; cercle vide : non classé")
    parts.append(
        f'<text x="0" y="{height - 8}" font-size="13" fill="{TEXT}">'
        f"{escape(legend_text)}</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def group_legend(opinion_map: OpinionMap) -> list[dict[str, Any]]:
    legend = []
    for index, group in enumerate(opinion_map.data.get("groups", [])):
        legend.append(
            {
                "letter": chr(ord("A") + index),
                "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                "shape": _("carré") if index % 2 else _("rond"),
                **group,
            }
        )
    return legend


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    published = Q(contributions__visibility=Visibility.PUBLISHED)
    sections = list(
        Section.objects.filter(consultation=consultation)
        .annotate(
            published=Count("contributions", filter=published),
            votes=Sum("contributions__votes_total", filter=published),
            arguments=Sum("contributions__arguments_count", filter=published),
        )
        .order_by("order", "id")
    )
    proposals = _published(consultation).filter(section__kind=SectionKind.PROPOSALS)
    top = list(
        proposals.filter(by_organiser=False)
        .select_related("section")
        .order_by("-votes_for", "-id")[:10]
    )
    statuses = {
        row["answer_status"]: row["n"]
        for row in proposals.values("answer_status").annotate(n=Count("id")).order_by()
    }
    status_rows = [
        (label, statuses.get(value, 0)) for value, label in AnswerStatus.choices if value
    ]
    answered = list(
        proposals.exclude(answer_status="").select_related("section").order_by("-answered_at")[:50]
    )
    opinion_map = OpinionMap.objects.filter(consultation=consultation).first()
    return render(
        request,
        "debates/results.html",
        {
            "consultation": consultation,
            "sections": sections,
            "top": top,
            "status_rows": status_rows,
            "unanswered": statuses.get("", 0),
            "answered": answered,
            "opinion_map": opinion_map,
            "svg": scatter_svg(opinion_map) if opinion_map else "",
            "groups": group_legend(opinion_map) if opinion_map else [],
            "points": opinion_map.data.get("points", [])[:500] if opinion_map else [],
            "title": _("Résultats des débats — %(title)s") % {"title": consultation.title},
            "consultation_url": consultation_url(consultation),
            "breadcrumb": [
                (consultation.title, consultation_url(consultation)),
                (_("Résultats des débats"), None),
            ],
        },
    )


def _rows(consultation: Consultation) -> Iterator[list[Any]]:
    rows = (
        _published(consultation)
        .select_related("section")
        .order_by("section__order", "section_id", "id")
    )
    for c in rows.iterator(chunk_size=2000):
        yield [
            c.pk,
            c.section.title,
            c.title,
            c.body,
            c.category,
            c.by_organiser,
            c.pinned,
            c.is_imported,
            c.created_at.isoformat(),
            c.edited_at.isoformat() if c.edited_at else None,
            c.votes_for,
            c.votes_against,
            c.votes_mixed,
            c.votes_total,
            c.arguments_count,
            c.sources_count,
            c.answer_status,
            c.answer,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(consultation: Consultation) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([field["name"] for field in FIELDS])
    for row in _rows(consultation):
        yield writer.writerow(
            [
                "true" if v is True else "false" if v is False else "" if v is None else v
                for v in row
            ]
        )


def _json_stream(consultation: Consultation) -> Iterator[str]:
    names = [field["name"] for field in FIELDS]
    yield "["
    first = True
    for row in _rows(consultation):
        yield ("" if first else ",") + json.dumps(dict(zip(names, row, strict=True)))
        first = False
    yield "]\n"


@require_safe
def download(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    consultation = _consultation(request, slug)
    if fmt not in ("csv", "json"):
        raise Http404
    stream = _csv_stream(consultation) if fmt == "csv" else _json_stream(consultation)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-contributions.{fmt}"'
    )
    return response


@require_safe
def schema(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    descriptor = {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "title": f"Contributions aux débats — {consultation.title}",
        "description": "Contributions publiées, avec leurs votes, arguments et sources comptés. "
        "Aucun identifiant de compte ni pseudonyme.",
        "path": request.build_absolute_uri(
            reverse("debates:download", args=[consultation.slug, "csv"])
        ),
        "fields": FIELDS,
        "primaryKey": ["id"],
        "missingValues": [""],
    }
    return HttpResponse(
        json.dumps(descriptor, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
