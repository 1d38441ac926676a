"""Public pages of the baromètre des résultats: an edition (policies by theme), a policy (its
indicators, values per département, national history), a département (every indicator beside
the national value and the target), each table also as CSV. Read-only: no action, no login."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.common.charts import Cell, DataTable
from ecoute.common.charts import csv_response as table_csv_response
from ecoute.territories.models import Departement

from .charts import departement_map, national_evolution
from .models import Edition, Policy, Summary
from .queries import (
    SORTS,
    departement_rows,
    departements_with_values,
    editions,
    latest_edition,
    policy_blocks,
    policy_groups,
    themes,
)

MAX_SEARCH = 100


def _edition(code: str) -> Edition:
    return get_object_or_404(Edition, code=code)


def _breadcrumb(edition: Edition, *crumbs: tuple[str, str | None]) -> list[Any]:
    return [
        (_("Baromètre des résultats"), reverse("policies:index")),
        (edition.published_on.strftime("%Y"), edition.get_absolute_url() if crumbs else None),
        *crumbs,
    ]


@require_safe
def edition(request: HttpRequest, edition: str | None = None) -> HttpResponse:
    current = _edition(edition) if edition is not None else latest_edition()
    if current is None:  # nothing loaded yet on this instance: say so, not a 404
        title = _("Baromètre des résultats de l'action publique")
        return render(
            request, "policies/empty.html", {"title": title, "breadcrumb": [(title, None)]}
        )
    theme = request.GET.get("theme", "")[:30]
    text = request.GET.get("q", "").strip()[:MAX_SEARCH]
    departement = request.GET.get("departement", "").strip()[:3]
    if departement:
        if Departement.objects.filter(code=departement).exists():
            return redirect("policies:departement", current.code, departement)
        messages.error(request, _("Ce département n'existe pas : choisissez-le dans la liste."))
    return render(
        request,
        "policies/edition.html",
        {
            "title": _("Baromètre des résultats de l'action publique"),
            "edition": current,
            "editions": [{"edition": e, "url": e.get_absolute_url()} for e in editions()],
            "themes": list(themes(current)),
            "groups": policy_groups(current, theme=theme, text=text),
            "theme": theme,
            "q": text,
            "departements": list(departements_with_values(current)),
            "breadcrumb": [(_("Baromètre des résultats"), None)],
        },
    )


def _policy(edition: str, code: str) -> Policy:
    return get_object_or_404(
        Policy.objects.select_related("edition", "theme"), edition__code=edition, code=code
    )


@require_safe
def policy(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    """The national values of every indicator, then one indicator in detail (its evolution,
    its map and its table per département), chosen by `?indicateur=` (the first by default):
    the page stays light whatever the number of indicators, every value is one link away and
    in the CSVs."""
    found = _policy(edition, code)
    sort = request.GET.get("tri", "departement")
    sort = sort if sort in SORTS else "departement"
    descending = request.GET.get("ordre") == "desc"
    blocks = policy_blocks(found, sort=sort, descending=descending)
    wanted = request.GET.get("indicateur", "")
    selected = next((b for b in blocks if b.indicator.code == wanted), None)
    if wanted and selected is None:  # as the département picker: say so, show the policy
        messages.error(request, _("Cet indicateur n'existe pas dans cette politique."))
        return redirect("policies:policy", found.edition.code, found.code)
    if selected is None and blocks:
        selected = blocks[0]
    if selected is not None:
        selected.chart_map = departement_map(found, selected)
        selected.chart_line = national_evolution(found, selected)
    # The default indicator keeps the short address; another one is carried by every link.
    carried = "" if selected is None or selected is blocks[0] else selected.indicator.code
    return render(
        request,
        "policies/policy.html",
        {
            "title": found.name,
            "edition": found.edition,
            "policy": found,
            "blocks": blocks,
            "selected": selected,
            "carried": carried,
            "sort": sort,
            "descending": descending,
            "sort_columns": [
                ("departement", _("Département")),
                ("initiale", _("Valeur initiale")),
                ("valeur", _("Valeur actuelle")),
                ("cible", _("Cible")),
                ("avancement", _("Taux d'avancement")),
            ],
            "breadcrumb": _breadcrumb(found.edition, (found.name, None)),
        },
    )


@require_safe
def departements(request: HttpRequest, edition: str) -> HttpResponse:
    current = _edition(edition)
    return render(
        request,
        "policies/departements.html",
        {
            "title": _("Le baromètre par département"),
            "edition": current,
            "departements": list(departements_with_values(current)),
            "breadcrumb": _breadcrumb(current, (_("Départements"), None)),
        },
    )


@require_safe
def departement(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    current = _edition(edition)
    found = get_object_or_404(Departement, code=code)
    return render(
        request,
        "policies/departement.html",
        {
            "title": _("%(departement)s : les résultats de l'action publique")
            % {"departement": found},
            "edition": current,
            "editions": [
                {"edition": e, "url": reverse("policies:departement", args=[e.code, found.code])}
                for e in editions()
            ],
            "departement": found,
            "rows": departement_rows(current, found),
            "breadcrumb": _breadcrumb(
                current,
                (_("Départements"), reverse("policies:departements", args=[current.code])),
                (str(found), None),
            ),
        },
    )


# --- CSV -----------------------------------------------------------------------------------

SUMMARY_HEADER = [
    "valeur_initiale",
    "date_valeur_initiale",
    "valeur_actuelle",
    "date_valeur_actuelle",
    "cible",
    "date_cible",
    "taux_avancement",
    "date_taux_avancement",
]


def _summary_cells(summary: Summary | None) -> list[Any]:
    if summary is None:
        return [""] * len(SUMMARY_HEADER)
    return [
        "" if value is None else value
        for value in (
            summary.initial_value,
            summary.initial_date,
            summary.current_value,
            summary.current_date,
            summary.target_value,
            summary.target_date,
            summary.progress_value,
            summary.progress_date,
        )
    ]


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """Through the project's one CSV writer (`common.charts`): UTF-8, `,`, `.` decimals."""
    table = DataTable(
        caption="",
        columns=tuple(header),
        rows=tuple(
            tuple(Cell("", v.isoformat() if isinstance(v, dt.date) else v) for v in row)
            for row in rows
        ),
    )
    return table_csv_response(table, filename=filename)


@require_safe
def edition_csv(request: HttpRequest, edition: str) -> HttpResponse:
    current = _edition(edition)
    rows = (
        [group.theme.name if group.theme else "", p.code, p.name, p.indicator_count]  # type: ignore[attr-defined]
        for group in policy_groups(current)
        for p in group.policies
    )
    return csv_response(
        f"barometre-{current.code}-politiques.csv",
        ["engagement", "code", "politique", "nombre_indicateurs"],
        rows,
    )


@require_safe
def policy_csv(request: HttpRequest, edition: str, code: str, table: str) -> HttpResponse:
    """`indicateurs` (national summary), `departements` (summary per département) or
    `historique` (national series), for every indicator or the one in ?indicateur=."""
    if table not in {"indicateurs", "departements", "historique"}:
        raise Http404(_("Ce tableau n'existe pas."))
    found = _policy(edition, code)
    only = request.GET.get("indicateur", "")
    blocks = [b for b in policy_blocks(found) if not only or b.indicator.code == only]
    if only and not blocks:
        raise Http404(_("Cet indicateur n'existe pas dans cette politique."))
    filename = (
        f"barometre-{found.edition.code}-{found.code}-{table}{'-' + only if only else ''}.csv"
    )
    if table == "indicateurs":
        return csv_response(
            filename,
            ["indicateur", "nom", "unite", "tendance", *SUMMARY_HEADER],
            (
                [b.indicator.code, b.indicator.name, b.indicator.unit, b.indicator.tendance]
                + _summary_cells(b.national)
                for b in blocks
            ),
        )
    if table == "departements":
        return csv_response(
            filename,
            ["indicateur", "code_departement", "departement", "unite", *SUMMARY_HEADER],
            (
                [b.indicator.code, s.departement_id, s.departement.name, b.indicator.unit]
                + _summary_cells(s)
                for b in blocks
                for s in b.departements
                if s.departement is not None
            ),
        )
    return csv_response(
        filename,
        ["indicateur", "date", "valeur", "unite"],
        ([b.indicator.code, v.date, v.value, b.indicator.unit] for b in blocks for v in b.history),
    )


@require_safe
def departement_csv(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    current = _edition(edition)
    found = get_object_or_404(Departement, code=code)
    header = [
        "politique",
        "indicateur",
        "nom",
        "unite",
        *SUMMARY_HEADER,
        *(f"national_{name}" for name in SUMMARY_HEADER),
    ]
    rows = (
        [r.indicator.policy.name, r.indicator.code, r.indicator.name, r.indicator.unit]
        + _summary_cells(r.local)
        + _summary_cells(r.national)
        for r in departement_rows(current, found)
    )
    return csv_response(f"barometre-{current.code}-departement-{found.code}.csv", header, rows)
