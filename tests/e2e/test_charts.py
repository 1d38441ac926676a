"""Every kind of chart, rendered by the shared partial, passes axe (the map and the bars are also
checked in their pages by test_france_services.py; the line chart has no page yet)."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ecoute.common import charts

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_line_bar_and_map_charts_are_accessible(new_page):
    with translation.override("fr"):
        drawn = [
            charts.line_chart(
                chart_id="evolution",
                title="Expériences publiées par mois",
                description="Deux courbes : publiées et répondues.",
                series=[
                    charts.Series("Publiées", [(date(2026, m, 1), 100 * m) for m in range(1, 13)]),
                    charts.Series(
                        "Répondues",
                        [(date(2026, m, 1), 60 * m if m != 6 else None) for m in range(1, 13)],
                    ),
                ],
                y_label="Nombre",
                date_style="month",
            ),
            charts.bar_chart(
                chart_id="repartition",
                title="Répartition des avis",
                bars=[("Positif", 120), ("Négatif", 80), ("Sans avis", None)],
                value_label="Nombre",
                category_label="Avis",
            ),
            charts.choropleth(
                chart_id="carte",
                title="Carte",
                values={"15": 3, "75": 12, "974": 5},
                value_label="Nombre",
                points=[charts.MapPoint(2.44, 44.93, "15")],
            ),
        ]
        body = "".join(render_to_string("ui/_chart.html", {"chart": chart}) for chart in drawn)
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    page.set_content(
        f'<!DOCTYPE html><html lang="fr"><head><title>Graphiques</title></head>'
        f"<body><main><h1>Graphiques</h1>{body}</main></body></html>"
    )
    assert page.get_by_role("img", name="Expériences publiées par mois").count() == 1
    assert page.get_by_role("img", name="Carte").count() == 1
    assert_accessible(page, "charts")
