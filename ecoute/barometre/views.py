"""Pages of the Services Publics + barometer: public pages of the published editions (latest
edition, an edition, a network and a département in an edition, each table as CSV), and the
publishers' pages (prepare, preview, publish, correct) that call the actions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import Network
from ecoute.common.charts import Cell, Chart, DataTable, choropleth, csv_response
from ecoute.indicators.definitions import INDICATORS, Indicator
from ecoute.indicators.queries import parse_semester
from ecoute.territories.models import Departement

from . import actions
from .forms import CorrectionForm, PrepareForm, PublishForm
from .models import Edition, EditionStatus, FigureScope
from .permissions import can_manage_editions
from .queries import (
    EditionValue,
    departement_values,
    indicator_or_default,
    latest_edition,
    national_values,
    previous_edition,
    published_editions,
    scope_rows,
    scope_values,
)

MAX_VERSION = 32767  # PositiveSmallIntegerField
CSV_COLUMNS = (
    "edition",
    "version",
    "perimetre",
    "cle",
    "nom",
    "indicateur",
    "numerateur",
    "denominateur",
    "somme_des_notes",
    "taux",
    "note_sur_5",
    "publie",
    "evolution_points",
)


def _breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Baromètre Services Publics +"), reverse("barometre:index")), *crumbs]


def _csv_cells(
    edition: Edition, kind: str, key: str, name: str, value: EditionValue
) -> tuple[Cell, ...]:
    raw: list[Any] = [
        edition.label,
        edition.version,
        kind,
        key,
        name,
        value.indicator.slug,
        value.numerator,
        value.denominator,
        value.total if value.indicator.is_felt else "",
        round(value.rate, 2) if value.rate is not None else None,
        round(value.mean, 3) if value.mean is not None else None,
        "oui" if value.sufficient else "non",
        value.change,
    ]
    return tuple(Cell("", item) for item in raw)


def _table_csv(
    edition: Edition, kind: str, rows: list[tuple[str, str, list[EditionValue]]], name: str
) -> HttpResponse:
    table = DataTable(
        caption="",
        columns=CSV_COLUMNS,
        rows=tuple(
            _csv_cells(edition, kind, key, label, value)
            for key, label, values in rows
            for value in values
        ),
    )
    return csv_response(table, filename=f"barometre-{edition.label}-v{edition.version}-{name}.csv")


def _map(edition: Edition, indicator: Indicator, *, public: bool) -> Chart:
    values = departement_values(edition, indicator)
    codes = Departement.objects.values_list("code", flat=True)
    links = (
        {
            code: reverse("barometre:departement", args=[edition.label, edition.version, code])
            for code in codes
        }
        if public
        else {}
    )
    samples = {code: Cell(value.text, value.denominator) for code, value in values.items()}
    return choropleth(
        chart_id=f"carte-{indicator.slug}",
        title=_("%(name)s par département, %(edition)s")
        % {"name": indicator.name, "edition": edition_title(edition)},
        values={code: v.rate for code, v in values.items()},
        value_label=str(indicator.unit),
        decimals=1,
        unit="%",
        links=links,
        extra_columns=[(_("Valeur publiée ou échantillon"), samples)],
        notes=[_("Hachuré : pas de valeur publiée (aucune mesure ou échantillon insuffisant).")],
    )


def edition_title(edition: Edition) -> str:
    half = _("1er semestre") if edition.half == 1 else _("2d semestre")
    return _("%(half)s %(year)s") % {"half": half, "year": edition.year}


def _edition_body(
    request: HttpRequest, edition: Edition, *, public: bool
) -> dict[str, Any] | HttpResponse:
    """What an edition's page shows — the same for the public page and the publisher's
    preview — or the CSV asked for with ?csv=."""
    previous = previous_edition(edition)
    national = national_values(edition, previous)
    wanted = request.GET.get("csv", "")
    if wanted == "national":
        return _table_csv(
            edition, FigureScope.NATION, [("FR", _("France entière"), national)], "national"
        )
    networks = scope_rows(edition, FigureScope.NETWORK)
    if wanted == "reseaux":
        return _table_csv(
            edition,
            FigureScope.NETWORK,
            [(row.key, row.name, row.values) for row in networks],
            "reseaux",
        )
    indicator = indicator_or_default(request.GET.get("indicateur", ""))
    if indicator is None:
        raise Http404(_("Indicateur inconnu."))
    chart = _map(edition, indicator, public=public)
    if wanted == chart.chart_id:
        return csv_response(chart.table, filename=chart.csv_filename)
    slugs = dict(Network.objects.values_list("pk", "slug")) if public else {}
    return {
        "edition": edition,
        "edition_title": edition_title(edition),
        "previous": previous,
        "national": national,
        "networks": [(row, slugs.get(int(row.key))) for row in networks],
        "indicators": INDICATORS,
        "indicator": indicator,
        "map": chart,
        "public": public,
    }


def _published(semester: str, version: int) -> Edition:
    start = parse_semester(semester)
    if start is None or version > MAX_VERSION:
        raise Http404(_("Semestre invalide : écrivez-le AAAA-S1 ou AAAA-S2."))
    return get_object_or_404(
        Edition.objects.published().select_related("supersedes", "superseded_by", "compared_to"),
        year=start.year,
        half=1 if start.month == 1 else 2,
        version=version,
    )


# --- Public pages --------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    edition = latest_edition()
    previous = previous_edition(edition) if edition else None
    national = national_values(edition, previous) if edition else []
    if edition is not None and request.GET.get("csv") == "national":
        return _table_csv(
            edition, FigureScope.NATION, [("FR", _("France entière"), national)], "national"
        )
    title = _("Baromètre Services Publics +")
    return render(
        request,
        "barometre/index.html",
        {
            "title": title,
            "edition": edition,
            "edition_title": edition_title(edition) if edition else "",
            "national": national,
            "previous": previous,
            "editions": [(e, edition_title(e)) for e in published_editions()],
            "can_manage": can_manage_editions(request.user),
            "breadcrumb": [(title, None)],
        },
    )


@require_safe
def semester(request: HttpRequest, semester: str) -> HttpResponse:
    """A semester's address leads to its edition in force."""
    start = parse_semester(semester)
    if start is None:
        raise Http404(_("Semestre invalide : écrivez-le AAAA-S1 ou AAAA-S2."))
    edition = get_object_or_404(
        Edition.objects.current(), year=start.year, half=1 if start.month == 1 else 2
    )
    return redirect(edition.get_absolute_url())


@require_safe
def edition(request: HttpRequest, semester: str, version: int) -> HttpResponse:
    found = _published(semester, version)
    body = _edition_body(request, found, public=True)
    if isinstance(body, HttpResponse):
        return body
    title = _("Baromètre Services Publics + : %(edition)s") % {"edition": body["edition_title"]}
    return render(
        request,
        "barometre/edition.html",
        {**body, "title": title, "breadcrumb": _breadcrumb((body["edition_title"], None))},
    )


def _scope_page(
    request: HttpRequest,
    edition: Edition,
    *,
    scope_kind: str,
    scope_key: str,
    name: str,
    testid: str,
) -> HttpResponse:
    previous = previous_edition(edition)
    frozen_name, values = scope_values(edition, scope_kind, scope_key, previous)
    name = frozen_name or name
    if request.GET.get("csv") == "valeurs":
        return _table_csv(edition, scope_kind, [(scope_key, name, values)], f"{testid}-{scope_key}")
    title = edition_title(edition)
    page_title = _("%(name)s : baromètre Services Publics +, %(edition)s") % {
        "name": name,
        "edition": title,
    }
    return render(
        request,
        "barometre/scope.html",
        {
            "title": page_title,
            "edition": edition,
            "edition_title": title,
            "previous": previous,
            "scope_name": name,
            "scope_testid": testid,
            "values": values,
            "breadcrumb": _breadcrumb((title, edition.get_absolute_url()), (name, None)),
        },
    )


@require_safe
def network(request: HttpRequest, semester: str, version: int, slug: str) -> HttpResponse:
    found = _published(semester, version)
    network = get_object_or_404(Network, slug=slug)
    return _scope_page(
        request,
        found,
        scope_kind=FigureScope.NETWORK,
        scope_key=str(network.pk),
        name=network.name,
        testid="network",
    )


@require_safe
def departement(request: HttpRequest, semester: str, version: int, code: str) -> HttpResponse:
    found = _published(semester, version)
    departement = get_object_or_404(Departement, code=code)
    return _scope_page(
        request,
        found,
        scope_kind=FigureScope.DEPARTEMENT,
        scope_key=departement.code,
        name=f"{departement.name} ({departement.code})",
        testid="departement",
    )


# --- Publishers' pages -----------------------------------------------------------------------


def _ensure_publisher(request: HttpRequest) -> None:
    if not can_manage_editions(request.user):
        raise PermissionDenied(_("Réservé aux personnes chargées de publier le baromètre."))


def _manage_breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _breadcrumb((_("Gestion des éditions"), reverse("barometre:manage")), *crumbs)


@login_required
@require_safe
def manage(request: HttpRequest, form: PrepareForm | None = None) -> HttpResponse:
    _ensure_publisher(request)
    title = _("Gestion des éditions du baromètre")
    editions = Edition.objects.select_related("supersedes", "published_by", "prepared_by")
    return render(
        request,
        "barometre/manage.html",
        {
            "title": title,
            "editions": [(e, edition_title(e)) for e in editions],
            "form": form or PrepareForm(),
            "breadcrumb": _breadcrumb((_("Gestion des éditions"), None)),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def prepare(request: AuthenticatedHttpRequest) -> HttpResponse:
    _ensure_publisher(request)
    form = PrepareForm(request.POST)
    if not form.is_valid():
        request.method = "GET"
        return manage(request, form)
    try:
        edition = actions.prepare_edition(
            semester=form.cleaned_data["semester"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except actions.EditionError as error:
        form.add_error("semester", str(error))
        request.method = "GET"
        return manage(request, form)
    messages.success(
        request,
        _("Le brouillon de l'édition %(label)s est prêt : vérifiez-le avant de le publier.")
        % {"label": edition.label},
    )
    return redirect("barometre:preview", edition.pk)


def _preview(
    request: HttpRequest,
    edition: Edition,
    *,
    publish_form: PublishForm | None = None,
    correction_form: CorrectionForm | None = None,
    error: str = "",
) -> HttpResponse:
    body = _edition_body(request, edition, public=False)
    if isinstance(body, HttpResponse):
        return body
    title = _("Aperçu : %(edition)s, version %(version)s") % {
        "edition": body["edition_title"],
        "version": edition.version,
    }
    invalid = publish_form is not None or correction_form is not None or bool(error)
    return render(
        request,
        "barometre/preview.html",
        {
            **body,
            "title": title,
            "publish_form": publish_form or PublishForm(),
            "correction_form": correction_form or CorrectionForm(),
            "error": error,
            "is_draft": edition.status == EditionStatus.DRAFT,
            # Said before the publisher ticks and clicks: the action refuses it the same way.
            "too_early": actions.too_early_to_publish(edition),
            "breadcrumb": _manage_breadcrumb((title, None)),
        },
        status=400 if invalid else 200,
    )


def _edition_for_publisher(pk: int) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("supersedes", "superseded_by", "compared_to", "prepared_by"),
        pk=pk,
    )


@login_required
@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_publisher(request)
    return _preview(request, _edition_for_publisher(pk))


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _ensure_publisher(request)
    edition = _edition_for_publisher(pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        request.method = "GET"
        return _preview(request, edition, publish_form=form)
    try:
        edition = actions.publish_edition(edition=edition, actor=request.user)
    except actions.EditionError as error:
        request.method = "GET"
        return _preview(request, edition, error=str(error))
    messages.success(
        request, _("L'édition %(label)s est publiée.") % {"label": edition_title(edition)}
    )
    return redirect(edition.get_absolute_url())


@login_required
@require_POST
def reprepare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Freeze a draft again from the current roll-ups."""
    _ensure_publisher(request)
    edition = _edition_for_publisher(pk)
    if edition.status != EditionStatus.DRAFT:
        request.method = "GET"
        return _preview(request, edition, error=_("Cette édition est déjà publiée."))
    try:
        actions.prepare_edition(semester=edition.semester, actor=request.user)
    except actions.EditionError as error:
        request.method = "GET"
        return _preview(request, edition, error=str(error))
    messages.success(request, _("Le brouillon a été recalculé à partir des données actuelles."))
    return redirect("barometre:preview", edition.pk)


@login_required
@require_POST
def correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _ensure_publisher(request)
    edition = _edition_for_publisher(pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        request.method = "GET"
        return _preview(request, edition, correction_form=form)
    try:
        correction = actions.prepare_correction(
            edition=edition, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except actions.EditionError as error:
        request.method = "GET"
        return _preview(request, edition, error=str(error))
    messages.success(
        request,
        _("La version %(version)s est en préparation : vérifiez-la avant de la publier.")
        % {"version": correction.version},
    )
    return redirect("barometre:preview", correction.pk)
