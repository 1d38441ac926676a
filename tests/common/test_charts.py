"""Server-side charts: the département map (projection, every département, classes), line and bar
charts, escaping, the shared partial (table with caption and scopes) and the CSV download."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from ecoute.common import charts

SVG = "{http://www.w3.org/2000/svg}"
OVERSEAS = {"971", "972", "973", "974", "976"}
PETITE_COURONNE = {"75", "92", "93", "94"}


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def absolute_points(d: str):
    """The absolute points of a path made of M x y, l dx dy and z (what charts writes)."""
    x = y = 0.0
    for command, a, b in re.findall(r"([Ml])(-?[\d.]+) (-?[\d.]+)", d):
        if command == "M":
            x, y = float(a), float(b)
        else:
            x, y = x + float(a), y + float(b)
        yield x, y


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_layout_is_computed_once_per_process():
    assert charts.departement_layout() is charts.departement_layout()


def test_every_departement_is_drawn_inside_its_box_and_the_viewbox():
    layout = charts.departement_layout()
    assert len(layout.shapes) == 101
    for shape in layout.shapes:
        assert shape.paths and all(shape.paths), shape.code
        for d in shape.paths:
            for x, y in absolute_points(d):
                assert 0 <= x <= charts.MAP_WIDTH and 0 <= y <= charts.MAP_HEIGHT, shape.code
    by_code = {shape.code: shape for shape in layout.shapes}
    for inset in layout.insets:
        left, top, width, height = inset.box
        for code in inset.codes:
            inset_path = by_code[code].paths[-1]
            for x, y in absolute_points(inset_path):
                assert left - 1 <= x <= left + width + 1 and top - 1 <= y <= top + height + 1
    # Metropolitan France above the insets, north up: Nord (59) above Pyrénées-Orientales (66).
    metro_bottom = charts.METRO_BOX[1] + charts.METRO_BOX[3]
    for code in ("59", "66", "29", "2B"):
        assert all(y <= metro_bottom + 1 for _x, y in absolute_points(by_code[code].paths[0]))
    top_of = {c: min(y for _x, y in absolute_points(by_code[c].paths[0])) for c in ("59", "66")}
    assert top_of["59"] < top_of["66"]
    left_of = {c: min(x for x, _y in absolute_points(by_code[c].paths[0])) for c in ("29", "67")}
    assert left_of["29"] < left_of["67"]  # Finistère west of Bas-Rhin


def test_overseas_departements_are_insets_and_paris_is_drawn_twice():
    layout = charts.departement_layout()
    counts = {shape.code: len(shape.paths) for shape in layout.shapes}
    assert all(counts[code] == 1 for code in OVERSEAS)
    assert all(counts[code] == 2 for code in PETITE_COURONNE)
    assert sum(counts.values()) == 101 + len(PETITE_COURONNE)
    assert [inset.codes for inset in layout.insets][:5] == [(c,) for c in sorted(OVERSEAS)]


def test_choropleth_has_every_departement_its_classes_and_no_data():
    values = {"01": 10, "02": 20, "03": 30, "04": 40, "75": 95, "971": 55}
    chart = charts.choropleth(
        chart_id="t",
        title="Titre",
        values=values,
        value_label="Valeur",
        thresholds=(25, 50),
        unit="%",
        decimals=1,
    )
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t-svg-title"
    assert root.find(f"{SVG}title").text == "Titre"
    paths = [p for p in root.iter(f"{SVG}path") if p.get("data-code")]
    assert {p.get("data-code") for p in paths} == {
        s.code for s in charts.departement_layout().shapes
    }
    colours = charts.ramp(3)
    fill_of = {p.get("data-code"): p.get("fill") for p in paths}
    assert fill_of["01"] == fill_of["02"] == colours[0]
    assert fill_of["03"] == fill_of["04"] == colours[1]
    assert fill_of["75"] == fill_of["971"] == colours[2]
    assert fill_of["13"] == "url(#t-no-data)"
    titles = {p.get("data-code"): p.find(f"{SVG}title").text for p in paths}
    assert titles["03"] == "Allier (03) : 30,0\u00a0%"
    assert titles["13"] == "Bouches-du-Rhône (13) : —"
    assert [(item.label, item.count) for item in chart.legend] == [  # round bounds: no decimals
        ("moins de 25\u00a0%", 2),
        ("de 25\u00a0% à moins de 50\u00a0%", 2),
        ("50\u00a0% ou plus", 2),
        ("pas de donnée", 95),
    ]
    assert len(chart.table.rows) == 101
    assert "style=" not in chart.svg


def test_no_data_is_in_the_legend_only_when_some_departement_lacks_data():
    everywhere = {shape.code: 1 for shape in charts.departement_layout().shapes}
    chart = charts.choropleth(chart_id="c", title="t", values=everywhere, value_label="v")
    assert [item.fill for item in chart.legend] == [charts.ramp(1)[0]]


def test_quantile_classes_and_class_index():
    assert charts.quantile_thresholds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5) == (3, 5, 7, 9)
    assert charts.quantile_thresholds([5, 5, 5, None], 4) == ()
    assert charts.quantile_thresholds([], 4) == ()
    assert [charts.class_index(v, (3, 5)) for v in (0, 2.9, 3, 4, 5, 100)] == [0, 0, 1, 1, 2, 2]


def test_ramp_goes_from_light_to_dark():
    colours = charts.ramp(5)
    assert colours[0] == "#ececfe" and colours[-1] == "#000091"
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours]
    assert lightness == sorted(lightness, reverse=True)


def test_map_points_fall_in_their_frames():
    chart = charts.choropleth(
        chart_id="p",
        title="Points",
        values={},
        value_label="n",
        points=[charts.MapPoint(55.45, -20.9, "974"), charts.MapPoint(2.35, 48.85, "75")],
    )
    root = parse(chart.svg)
    uses = [u.get("href") for u in root.iter(f"{SVG}use")]
    assert uses == ["#p-points", "#p-points"]  # one list of dots, drawn as halo then dot
    dots = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("id") == "p-points"]
    coordinates = re.findall(r"M(-?[\d.]+) (-?[\d.]+)h0", dots[-1])
    assert len(coordinates) == 3  # La Réunion once, Paris on the map and in its inset
    reunion = next(i for i in charts.departement_layout().insets if i.codes == ("974",))
    x, y = map(float, coordinates[0])
    left, top, width, height = reunion.box
    assert left <= x <= left + width and top <= y <= top + height


def test_points_off_their_frames_are_left_out_and_said():
    chart = charts.choropleth(
        chart_id="p",
        title="Points",
        values={},
        value_label="n",
        points=[
            charts.MapPoint(-63.03, 18.07, "971"),  # Saint-Martin, filed under Guadeloupe
            charts.MapPoint(-63.10, 18.06, ""),  # the same, with no département
            charts.MapPoint(4.83, 45.76, "69"),  # Lyon
        ],
    )
    dots = next(p.get("d") for p in parse(chart.svg).iter(f"{SVG}path") if p.get("id"))
    assert dots.count("h0") == 1
    assert chart.notes == (
        "2 points situés hors des départements dessinés ne sont pas sur la carte.",
    )


def test_labels_are_escaped_everywhere():
    hostile = '<script>alert("x")</script> & co'
    line = charts.line_chart(
        chart_id="l",
        title=hostile,
        series=[charts.Series(hostile, [(date(2026, 1, 1), 1), (date(2026, 2, 1), 2)])],
        y_label=hostile,
        description=hostile,
    )
    bar = charts.bar_chart(
        chart_id="b", title=hostile, bars=[(hostile, 3)], value_label="n", category_label=hostile
    )
    for chart in (line, bar):
        assert "<script>" not in chart.svg
        parse(chart.svg)  # well-formed
        html = render_to_string("ui/_chart.html", {"chart": chart})
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_line_chart_french_ticks_gaps_and_table():
    chart = charts.line_chart(
        chart_id="evolution",
        title="Évolution",
        series=[
            charts.Series("Avis", [(date(2026, m, 1), m * 1000.5) for m in (1, 2, 3)]),
            charts.Series("Réponses", [(date(2026, 1, 1), 1), (date(2026, 3, 1), None)]),
        ],
        y_label="Nombre",
        date_style="month",
        decimals=1,
    )
    root = parse(chart.svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "mars 2026" in texts  # French month names
    assert "3\u00a0000" in texts or "3\u202f000" in texts
    assert [row[0].value for row in chart.table.rows] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert chart.table.rows[0][1].text in ("1\u00a0000,5", "1\u202f000,5", "1 000,5")
    assert chart.table.rows[2][2].text == "—"
    assert [item.label for item in chart.legend] == ["Avis", "Réponses"]
    assert chart.legend[0].dash != chart.legend[1].dash  # not told apart by colour alone


def test_bar_chart_shows_values_and_missing_ones():
    chart = charts.bar_chart(
        chart_id="repartition",
        title="Répartition",
        bars=[("Oui", 12), ("Non", None)],
        value_label="Nombre",
        category_label="Réponse",
    )
    root = parse(chart.svg)
    assert len(list(root.iter(f"{SVG}rect"))) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Oui", "12", "Non", "pas de donnée"]


def test_bar_chart_has_html_bars_for_narrow_screens():
    with translation.override("fr"):
        chart = charts.bar_chart(
            chart_id="parts",
            title="Parts",
            bars=[("Une réponse au libellé très long", 42.5), ("Non", 0), ("Sans", None)],
            value_label="Part",
            category_label="Réponse",
            decimals=1,
            unit="%",
        )
        html = render_to_string("ui/_chart.html", {"chart": chart})
    assert [(b.label, b.length) for b in chart.bars] == [
        ("Une réponse au libellé très long", 100.0),
        ("Non", 0.0),
        ("Sans", None),
    ]
    assert 'class="ecoute-chart__drawing ecoute-chart__drawing--wide"' in html
    assert 'data-testid="chart-bars-parts"' in html
    # Widths are SVG attributes, never localised, never inline style; the values are page text.
    assert '<rect width="100.00%"' in html and '<rect width="0.50%"' in html
    assert ">42,5\u00a0%</span>" in html and ">pas de donnée</span>" in html
    assert html.count('aria-hidden="true"') == 2  # the bars, not the texts
    assert "style=" not in html


def test_numbers_are_rounded_not_cut():
    assert charts.format_number(78.96, 1) == "79,0"
    assert charts.format_number(0.96) == "1"
    assert charts.format_number(1234567.891, 2, "%") in (
        "1\u00a0234\u00a0567,89\u00a0%",
        "1\u202f234\u202f567,89\u00a0%",
        "1 234 567,89\u00a0%",
    )
    assert charts.format_number(None) == "—"


def test_nice_ticks():
    assert charts.nice_ticks(0, 97) == ([0, 20, 40, 60, 80, 100], 0)
    ticks, decimals = charts.nice_ticks(0, 0.87)
    assert decimals == 1 and ticks[-1] == pytest.approx(1.0)
    assert charts.nice_ticks(0, 0.9, 4)[1] == 2  # steps of 0.25


def test_partial_renders_a_table_with_caption_scopes_and_csv_link():
    chart = charts.choropleth(
        chart_id="carte",
        title="Carte des départements",
        values={"01": 1.5},
        value_label="Part",
        decimals=1,
        links={"01": "/departements/01/"},
    )
    html = render_to_string("ui/_chart.html", {"chart": chart})
    assert "<caption>Carte des départements</caption>" in html
    assert html.count('<th scope="col">') == 3
    assert html.count('<th scope="row">') == 101
    assert '<a href="/departements/01/">Ain</a>' in html
    assert 'href="?csv=carte"' in html and 'download="carte.csv"' in html
    assert "pas de donnée (100 départements)" in html
    assert "style=" not in html


def test_csv_download_of_the_named_chart():
    chart = charts.bar_chart(
        chart_id="repartition",
        title="Répartition",
        bars=[("Très, bien", 12.5), ('Dit "non"', None), ("Zéro", 0)],
        value_label="Nombre",
        category_label="Réponse",
        decimals=1,
    )
    factory = RequestFactory()
    assert charts.csv_download(factory.get("/"), [chart]) is None
    assert charts.csv_download(factory.get("/?csv=autre"), [chart]) is None
    response = charts.csv_download(factory.get("/?csv=repartition"), [chart])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="repartition.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == [["Réponse", "Nombre"], ["Très, bien", "12.5"], ['Dit "non"', ""], ["Zéro", "0"]]


def test_line_chart_date_labels_never_overlap():
    semesters = [date(2020 + i // 2, 1 + 6 * (i % 2), 1) for i in range(8)]
    uneven = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1), date(2024, 1, 1)]
    for dates in (semesters, uneven):
        chart = charts.line_chart(
            chart_id="dates",
            title="Dates",
            series=[charts.Series("Valeur", [(d, 1) for d in dates])],
            y_label="Valeur",
        )
        labels = [
            float(t.get("x"))
            for t in parse(chart.svg).iter(f"{SVG}text")
            if t.get("text-anchor") == "middle"
            and any(str(d.year) in (t.text or "") for d in dates)
        ]
        assert len(labels) >= 2  # the first and the last date at least
        assert all(b - a >= charts.TICK_LABEL_GAP for a, b in zip(labels, labels[1:], strict=False))
