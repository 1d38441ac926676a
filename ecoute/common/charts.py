"""Server-side SVG charts: a choropleth of départements, line and bar charts.

Every chart comes with its data as a table (shown under the drawing by `ui/_chart.html`) and as
CSV (`csv_download`): the drawing is never the only way to the figures (RGAA 1.3 / 4.1.2).
No JavaScript and no third-party request: the SVG is inline in the page, coloured with SVG
presentation attributes (`fill=`), never `style=` (the Content-Security-Policy allows no inline
style). Text is escaped here; the returned SVG is safe to insert as is.

The département shapes come from `<ECOUTE_DATA_DIR>/territoires/france-services/geom_dep.geojson`
(101 départements, CRS84). They are projected, fitted, simplified and quantised once per process
(`departement_layout`), not per request. Metropolitan France is drawn in a Lambert conformal
conic projection (standard parallels 44° N and 49° N, as Lambert-93); the overseas départements
(971, 972, 973, 974, 976) and Paris with its petite couronne are insets, each in an
equirectangular projection scaled by the cosine of its latitude (not to scale with each other).

Decision record: docs/decisions/0019-charts-and-france-services-coverage.md.
"""

from __future__ import annotations

import bisect
import csv
import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

Number = int | float
Point = tuple[float, float]

GEOJSON_PATH = Path("territoires") / "france-services" / "geom_dep.geojson"

# Colours: DSFR tokens. The sequential ramp goes from blue-france-950 to blue-france-sun-113,
# linear in RGB so its lightness only decreases (one hue: readable with every colour-vision
# deficiency, and in grey scale).
RAMP_LIGHT = (0xEC, 0xEC, 0xFE)  # blue-france-950
RAMP_DARK = (0x00, 0x00, 0x91)  # blue-france-sun-113
NO_DATA_FILL = "#eeeeee"  # grey-950
NO_DATA_HATCH = "#929292"  # grey-625
BORDER = "#ffffff"
TEXT = "#161616"  # grey-50: the body text colour
AXIS = "#666666"  # grey-425, 5.7:1 on white
GRID = "#dddddd"  # grey-900
POINT_FILL = "#ce0500"  # red-marianne-main-472
# Series: a colour (each at least 4.5:1 on white) and a dash pattern and a marker, so that no
# series is told from another by its colour alone.
SERIES_COLOURS = ("#000091", "#b34000", "#18753c", "#6e445a", "#3a3a3a")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
SERIES_MARKERS = ("circle", "square", "triangle", "diamond", "cross")

# --- Tables and CSV --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell: `text` shown (French formatting), `value` written to the CSV (raw)."""

    text: str
    value: str | int | float | None = None
    href: str = ""

    @property
    def csv_value(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, float):
            return repr(round(self.value, 6))
        return str(self.value)


@dataclass(frozen=True)
class DataTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The CSV's column names (machine-friendly); the display names when empty.
    csv_columns: tuple[str, ...] = ()

    def csv_rows(self) -> Iterable[list[str]]:
        yield list(self.csv_columns or self.columns)
        for row in self.rows:
            yield [cell.csv_value for cell in row]


@dataclass(frozen=True)
class LegendItem:
    fill: str  # a colour, or "" for the "no data" hatch
    label: str
    count: int | None = None
    dash: str = ""
    marker: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart drawn in HTML for narrow screens (`ui/_chart.html`): the label
    and the value are page text (they wrap and keep the page's font size at 320 px), the bar
    an `aria-hidden` SVG rectangle whose width is a percentage attribute (no inline style)."""

    label: str
    text: str  # the value, formatted
    length: float | None  # the bar's length in % of the longest possible; None: no data

    @property
    def width(self) -> str:
        """The SVG width attribute: never localised ("42.5%", not "42,5%")."""
        return f"{max(self.length or 0.0, 0.5):.2f}%"


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: SafeString
    table: DataTable
    legend: tuple[LegendItem, ...] = ()
    description: str = ""
    csv_url: str = ""
    notes: tuple[str, ...] = field(default=())
    # Bar charts: the same bars in HTML, shown instead of the SVG on narrow screens, where the
    # SVG's text would shrink below a readable size (the SVG scales with its column).
    bars: tuple[Bar, ...] = ()

    @property
    def csv_filename(self) -> str:
        return f"{self.chart_id}.csv"


def csv_response(table: DataTable, *, filename: str) -> HttpResponse:
    """The table as a CSV download: UTF-8, comma-separated, decimal point, one header line.

    The layout data.gouv.fr recommends for open data (machine-readable figures; the French
    formatting is for the HTML table only).
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerows(table.csv_rows())
    return response


def csv_download(request: HttpRequest, charts: Iterable[Chart]) -> HttpResponse | None:
    """The CSV of the chart named by `?csv=<chart_id>`, or None (render the page)."""
    wanted = request.GET.get("csv")
    if not wanted:
        return None
    for chart in charts:
        if chart.chart_id == wanted:
            return csv_response(chart.table, filename=chart.csv_filename)
    return None


# --- Formatting ------------------------------------------------------------------------------


def format_number(value: Number | None, decimals: int = 0, unit: str = "") -> str:
    """French formatting of the active language: `12 345,6 %`; an em dash for no value."""
    if value is None:
        return "—"
    # Rounded here: Django's number_format cuts the decimals it does not show (78.96 -> 78,9).
    text = number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    return f"{text}\u00a0{unit}" if unit else text


def format_date(value: date, style: str = "day") -> str:
    return date_format(value, "N Y" if style == "month" else "j N Y")


def _svg_number(value: float) -> str:
    """Coordinates in SVG: one decimal at most, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" class="ecoute-chart__svg" role="img" '
        f'aria-labelledby="{escape(chart_id)}-svg-title" '
        f'aria-describedby="{escape(chart_id)}-svg-desc" '
        f'font-family="Marianne, arial, sans-serif">'
        f'<title id="{escape(chart_id)}-svg-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-svg-desc">{escape(description)}</desc>'
    )


# --- Classes and colours ---------------------------------------------------------------------


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def ramp(count: int) -> tuple[str, ...]:
    """`count` colours from light to dark along the DSFR blue ramp."""
    if count <= 1:
        return (_hex(RAMP_DARK),)
    colours = []
    for index in range(count):
        t = index / (count - 1)
        rgb = tuple(round(a + (b - a) * t) for a, b in zip(RAMP_LIGHT, RAMP_DARK, strict=True))
        colours.append(_hex(rgb))
    return tuple(colours)


def quantile_thresholds(values: Iterable[Number | None], classes: int = 5) -> tuple[Number, ...]:
    """Class breaks that put about as many values in each class (ties share one class)."""
    known = sorted(v for v in values if v is not None)
    if not known or classes < 2:
        return ()
    breaks: list[Number] = []
    for k in range(1, classes):
        candidate = known[min(len(known) - 1, math.ceil(k * len(known) / classes))]
        if candidate > known[0] and (not breaks or candidate > breaks[-1]):
            breaks.append(candidate)
    return tuple(breaks)


def class_index(value: Number, thresholds: Sequence[Number]) -> int:
    """0 below the first threshold; class i holds thresholds[i-1] <= value < thresholds[i]."""
    return bisect.bisect_right(thresholds, value)


def class_labels(thresholds: Sequence[Number], decimals: int, unit: str) -> list[str]:
    def fmt(value: Number) -> str:  # a round bound needs no decimals: "80 %", not "80,0 %"
        return format_number(value, decimals if value % 1 else 0, unit)

    if not thresholds:
        return [_("toutes les valeurs")]
    labels = [_("moins de %(high)s") % {"high": fmt(thresholds[0])}]
    for low, high in zip(thresholds, thresholds[1:], strict=False):
        labels.append(_("de %(low)s à moins de %(high)s") % {"low": fmt(low), "high": fmt(high)})
    labels.append(_("%(low)s ou plus") % {"low": fmt(thresholds[-1])})
    return labels


# --- Département shapes ------------------------------------------------------------------------

MAP_WIDTH = 1000
METRO_BOX = (10.0, 10.0, 980.0, 900.0)  # x, y, width, height
INSET_TOP = 930.0
INSET_HEIGHT = 150.0
INSET_LABEL = 24.0
MAP_HEIGHT = int(INSET_TOP + INSET_HEIGHT + INSET_LABEL + 10)
# (label, départements), left to right along the bottom of the map.
INSETS: tuple[tuple[str | Promise, tuple[str, ...]], ...] = (
    ("Guadeloupe", ("971",)),
    ("Martinique", ("972",)),
    ("Guyane", ("973",)),
    ("La Réunion", ("974",)),
    ("Mayotte", ("976",)),
    (gettext_lazy("Paris et couronne"), ("75", "92", "93", "94")),
)
SIMPLIFY_TOLERANCE = 0.6  # in viewBox units (the map is 1,000 wide)


def _lambert_conic() -> Callable[[float, float], Point]:
    """Spherical Lambert conformal conic of metropolitan France (Lambert-93's parameters)."""
    phi1, phi2, phi0, lambda0 = (math.radians(d) for d in (44.0, 49.0, 46.5, 3.0))

    def t(phi: float) -> float:
        return math.tan(math.pi / 4 + phi / 2)

    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(t(phi2) / t(phi1))
    f = math.cos(phi1) * t(phi1) ** n / n
    rho0 = f / t(phi0) ** n

    def project(lon: float, lat: float) -> Point:
        rho = f / t(math.radians(lat)) ** n
        theta = n * (math.radians(lon) - lambda0)
        return rho * math.sin(theta), -(rho0 - rho * math.cos(theta))

    return project


def _equirectangular(latitude: float) -> Callable[[float, float], Point]:
    scale = math.cos(math.radians(latitude))
    return lambda lon, lat: (lon * scale, -lat)


def _rings(geometry: Mapping) -> list[list[list[Point]]]:
    """Polygons as lists of rings (outer first), for Polygon and MultiPolygon alike."""
    coordinates = geometry["coordinates"]
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    return [[[(float(x), float(y)) for x, y, *_rest in ring] for ring in p] for p in polygons]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer–Douglas–Peucker on one ring (the first and last points are kept)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (x1, y1), (x2, y2) = points[start], points[end]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_index = -1.0, -1
        for index in range(start + 1, end):
            x, y = points[index]
            if length == 0:
                distance = math.hypot(x - x1, y - y1)
            else:
                distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            if distance > worst:
                worst, worst_index = distance, index
        if worst > tolerance:
            keep[worst_index] = True
            stack.extend([(start, worst_index), (worst_index, end)])
    return [p for p, kept in zip(points, keep, strict=True) if kept]


@dataclass(frozen=True)
class Frame:
    """A projection and the affine fit that puts its output into a box of the viewBox."""

    project: Callable[[float, float], Point]
    scale: float
    dx: float
    dy: float
    box: tuple[float, float, float, float]

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = self.project(lon, lat)
        return x * self.scale + self.dx, y * self.scale + self.dy

    def contains(self, point: Point, margin: float = 4.0) -> bool:
        left, top, width, height = self.box
        x, y = point
        return (
            left - margin <= x <= left + width + margin
            and top - margin <= y <= top + height + margin
        )


def _fit(
    project: Callable[[float, float], Point],
    rings: Iterable[list[Point]],
    box: tuple[float, float, float, float],
) -> Frame:
    xs, ys = [], []
    for ring in rings:
        for lon, lat in ring:
            x, y = project(lon, lat)
            xs.append(x)
            ys.append(y)
    left, top, width, height = box
    spread_x, spread_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min(width / spread_x, height / spread_y)
    dx = left + (width - spread_x * scale) / 2 - min(xs) * scale
    dy = top + (height - spread_y * scale) / 2 - min(ys) * scale
    return Frame(project, scale, dx, dy, box)


@dataclass(frozen=True)
class DepartementShape:
    code: str
    name: str
    paths: tuple[str, ...]  # one `d` per frame the département is drawn in (main map, inset)


@dataclass(frozen=True)
class Inset:
    label: str | Promise
    box: tuple[float, float, float, float]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class DepartementLayout:
    shapes: tuple[DepartementShape, ...]
    insets: tuple[Inset, ...]
    frames: Mapping[str, tuple[Frame, ...]]  # département code -> the frames it is drawn in

    def project(self, code: str, lon: float, lat: float) -> list[Point]:
        """Where a point of département `code` falls on the map (once per frame it is drawn
        in); none when it lies outside the frames of its département (a wrong département,
        or a place the map does not draw, e.g. Saint-Martin)."""
        frames = self.frames.get(code) or self.frames[""]
        placed = [frame(lon, lat) for frame in frames]
        return [p for p, frame in zip(placed, frames, strict=True) if frame.contains(p)]


def _path(frame: Frame, polygons: list[list[list[Point]]]) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            projected = [frame(lon, lat) for lon, lat in ring]
            simplified = _simplify(projected, SIMPLIFY_TOLERANCE)
            quantised: list[tuple[int, int]] = []
            for x, y in simplified:
                q = (round(x), round(y))
                if not quantised or quantised[-1] != q:
                    quantised.append(q)
            if len(set(quantised)) < 3:
                continue  # an islet smaller than a unit of the map
            moves = "".join(f"l{x - px} {y - py}" for (px, py), (x, y) in _pairs(quantised))
            parts.append(f"M{quantised[0][0]} {quantised[0][1]}{moves}z")
    return "".join(parts)


def _pairs(items: list[tuple[int, int]]) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
    return zip(items, items[1:], strict=False)


@functools.lru_cache(maxsize=4)
def _layout_from(path: str) -> DepartementLayout:
    with open(path, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    geometries = {
        str(f["properties"]["insee_dep"]): (str(f["properties"]["lib_dep"]), _rings(f["geometry"]))
        for f in features
    }
    inset_codes = {code for _label, codes in INSETS for code in codes}
    overseas = {code for code in inset_codes if len(code) == 3}
    metro_rings = [
        ring
        for code, (_name, polygons) in geometries.items()
        if code not in overseas
        for polygon in polygons
        for ring in polygon
    ]
    metro = _fit(_lambert_conic(), metro_rings, METRO_BOX)
    frames: dict[str, list[Frame]] = {code: [metro] for code in geometries if code not in overseas}
    frames[""] = [metro]
    insets = []
    inset_width = MAP_WIDTH / len(INSETS)
    for index, (label, codes) in enumerate(INSETS):
        box = (index * inset_width + 8, INSET_TOP, inset_width - 16, INSET_HEIGHT)
        rings = [
            ring
            for code in codes
            if code in geometries
            for polygon in geometries[code][1]
            for ring in polygon
        ]
        if not rings:
            continue
        latitude = sum(lat for ring in rings for _lon, lat in ring) / sum(len(r) for r in rings)
        frame = _fit(_equirectangular(latitude), rings, box)
        for code in codes:
            frames.setdefault(code, []).append(frame)
        insets.append(Inset(label, box, codes))
    shapes = tuple(
        DepartementShape(
            code=code,
            name=name,
            paths=tuple(_path(frame, polygons) for frame in frames[code]),
        )
        for code, (name, polygons) in sorted(geometries.items())
    )
    return DepartementLayout(
        shapes=shapes,
        insets=tuple(insets),
        frames={code: tuple(fs) for code, fs in frames.items()},
    )


def departement_layout() -> DepartementLayout:
    """The projected, simplified département shapes (computed once per process)."""
    return _layout_from(str(Path(settings.ECOUTE_DATA_DIR) / GEOJSON_PATH))


def _hatch(pattern_id: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{NO_DATA_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{NO_DATA_HATCH}" stroke-width="3"/>'
        f"</pattern>"
    )


@dataclass(frozen=True)
class MapPoint:
    """A dot on the map: longitude, latitude and the département it belongs to ("" if none)."""

    longitude: float
    latitude: float
    departement: str = ""


def choropleth(
    *,
    chart_id: str,
    title: str,
    values: Mapping[str, Number | None],
    value_label: str,
    description: str = "",
    decimals: int = 0,
    unit: str = "",
    thresholds: Sequence[Number] | None = None,
    classes: int = 5,
    links: Mapping[str, str] | None = None,
    points: Sequence[MapPoint] = (),
    extra_columns: Sequence[tuple[str, Mapping[str, Cell]]] = (),
    csv_url: str = "",
    notes: Sequence[str] = (),
) -> Chart:
    """Départements coloured by class of `values` (keyed by INSEE code); absent = no data.

    Classes: `thresholds` when given (ascending), else `classes` quantile classes. The table
    lists every département with its value (and `extra_columns`, keyed by code); `links`
    (code -> URL) makes the département's name a link in the table.
    """
    layout = departement_layout()
    if thresholds is not None:
        breaks = tuple(thresholds)
    else:
        breaks = quantile_thresholds(values.values(), classes)
    colours = ramp(len(breaks) + 1)
    hatch_id = f"{chart_id}-no-data"
    body = [
        _svg_open(chart_id, title, description, MAP_WIDTH, MAP_HEIGHT),
        f"<defs>{_hatch(hatch_id)}</defs>",
        f'<g stroke="{BORDER}" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    counts = [0] * len(colours)
    no_data = 0
    for shape in layout.shapes:
        value = values.get(shape.code)
        if value is None:
            fill = f"url(#{hatch_id})"
            no_data += 1
        else:
            index = class_index(value, breaks)
            counts[index] += 1
            fill = colours[index]
        label = f"{shape.name} ({shape.code}) : {format_number(value, decimals, unit)}"
        for d in shape.paths:
            body.append(
                f'<path d="{d}" fill="{fill}" data-code="{escape(shape.code)}">'
                f"<title>{escape(label)}</title></path>"
            )
    body.append("</g>")
    body.append(f'<g fill="none" stroke="{AXIS}" stroke-width="1" font-size="19">')
    for inset in layout.insets:
        x, y, w, h = inset.box
        body.append(
            f'<rect x="{_svg_number(x - 4)}" y="{_svg_number(y - 4)}" '
            f'width="{_svg_number(w + 8)}" height="{_svg_number(h + 8)}"/>'
            f'<text x="{_svg_number(x + w / 2)}" y="{_svg_number(y + h + INSET_LABEL)}" '
            f'text-anchor="middle" fill="{TEXT}" stroke="none">{escape(inset.label)}</text>'
        )
    body.append("</g>")
    notes = list(notes)
    if points:
        placed = [
            layout.project(point.departement, point.longitude, point.latitude) for point in points
        ]
        dots = "".join(f"M{_svg_number(x)} {_svg_number(y)}h0" for xys in placed for x, y in xys)
        off_map = sum(1 for xys in placed if not xys)
        if off_map:
            notes.append(
                ngettext(
                    "%(count)s point situé hors des départements dessinés n'est pas sur la carte.",
                    "%(count)s points situés hors des départements dessinés ne sont pas sur la "
                    "carte.",
                    off_map,
                )
                % {"count": off_map}
            )
        dots_id = f"{chart_id}-points"
        body.append(
            f'<defs><path id="{dots_id}" d="{dots}"/></defs>'
            f'<g fill="none" stroke-linecap="round"><use href="#{dots_id}" stroke="{BORDER}" '
            f'stroke-width="5"/><use href="#{dots_id}" stroke="{POINT_FILL}" stroke-width="3"/>'
            f"</g>"
        )
    body.append("</svg>")
    labels = class_labels(breaks, decimals, unit)
    legend = [
        LegendItem(colour, label, count)
        for colour, label, count in zip(colours, labels, counts, strict=True)
    ]
    if no_data:
        legend.append(LegendItem("", _("pas de donnée"), no_data))
    rows = []
    for shape in layout.shapes:
        value = values.get(shape.code)
        href = (links or {}).get(shape.code, "")
        row = [
            Cell(shape.code, shape.code),
            Cell(shape.name, shape.name, href),
            Cell(format_number(value, decimals, unit), value),
        ]
        row.extend(column.get(shape.code, Cell("—")) for _label, column in extra_columns)
        rows.append(tuple(row))
    table = DataTable(
        caption=title,
        columns=(_("Code"), _("Département"), value_label)
        + tuple(label for label, _col in extra_columns),
        rows=tuple(rows),
    )
    return Chart(
        chart_id=chart_id,
        title=title,
        svg=mark_safe("".join(body)),  # noqa: S308 - every text above went through escape()
        table=table,
        legend=tuple(legend),
        description=description,
        csv_url=csv_url or f"?csv={chart_id}",
        notes=tuple(notes),
    )


# --- Axes ------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 × 10^k), and decimals."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    ticks = [start + i * step for i in range(round((end - start) / step) + 1)]
    decimals = next(d for d in range(12) if abs(round(step, d) - step) < 1e-9 * step)
    return ticks, decimals


CHART_WIDTH = 400
FONT_SIZE = 11


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    sx, sy = _svg_number(x), _svg_number(y)
    if kind == "square":
        return (
            f'<rect x="{_svg_number(x - 3)}" y="{_svg_number(y - 3)}" width="6" height="6" '
            f'fill="{colour}"/>'
        )
    if kind == "triangle":
        return f'<path d="M{sx} {_svg_number(y - 4)}l4 7h-8z" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{sx} {_svg_number(y - 4)}l4 4-4 4-4-4z" fill="{colour}"/>'
    if kind == "cross":
        return (
            f'<path d="M{_svg_number(x - 3)} {_svg_number(y - 3)}l6 6m0-6l-6 6" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{sx}" cy="{sy}" r="3" fill="{colour}"/>'


def _tick(line: tuple[float, float, float, float], stroke: str, at: Point, anchor: str) -> str:
    """A tick (or grid) line and the opening of its label's <text>."""
    x1, y1, x2, y2 = (_svg_number(v) for v in line)
    baseline = ' dominant-baseline="middle"' if anchor == "end" else ""
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}"/>'
        f'<text x="{_svg_number(at[0])}" y="{_svg_number(at[1])}" text-anchor="{anchor}"'
        f"{baseline}>"
    )


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[date, Number | None]]


# Horizontal room a date label needs (viewBox units at FONT_SIZE: "1 juil. 2022" is ~70).
TICK_LABEL_GAP = 80.0


def _date_ticks(dates: Sequence[date], x_of: Callable[[date], float], min_gap: float) -> list[date]:
    """Dates to label on the x axis: the first, then each next date at least `min_gap` to the
    right of the last label, the last date kept when it fits (labels never overlap, whatever
    the spacing of the dates in time)."""
    ticks: list[date] = []
    for when in dates:
        if not ticks or x_of(when) - x_of(ticks[-1]) >= min_gap:
            ticks.append(when)
    if ticks and dates and ticks[-1] != dates[-1]:
        if x_of(dates[-1]) - x_of(ticks[-1]) < min_gap and len(ticks) > 1:
            ticks.pop()
        ticks.append(dates[-1])
    return ticks


def line_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    y_label: str,
    x_label: str = "",
    description: str = "",
    decimals: int = 0,
    unit: str = "",
    date_style: str = "day",
    y_from_zero: bool = True,
    csv_url: str = "",
    notes: Sequence[str] = (),
) -> Chart:
    """Values over dates, one line per series (a gap where a value is None)."""
    x_label = x_label or _("Date")
    dates = sorted({d for s in series for d, _v in s.points})
    known = [v for s in series for _d, v in s.points if v is not None]
    low = min([0.0, *known]) if y_from_zero else min(known, default=0.0)
    ticks, tick_decimals = nice_ticks(low, max(known, default=1.0))
    left, right, top, bottom = 48.0, 32.0, 12.0, 44.0
    height = 240
    plot_w, plot_h = CHART_WIDTH - left - right, height - top - bottom
    first = dates[0] if dates else date(2000, 1, 1)
    span = ((dates[-1] - first).days if dates else 0) or 1

    def x_of(d: date) -> float:
        return left + plot_w * ((d - first).days / span if dates and len(dates) > 1 else 0.5)

    def y_of(v: Number) -> float:
        return top + plot_h * (1 - (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1))

    body = [
        _svg_open(chart_id, title, description, CHART_WIDTH, height),
        f'<g font-size="{FONT_SIZE}" fill="{TEXT}">',
    ]
    for tick in ticks:
        y = y_of(tick)
        body.append(
            _tick((left, y, left + plot_w, y), GRID, (left - 4, y), "end")
            + f"{escape(format_number(tick, tick_decimals))}</text>"
        )
    tick_dates = _date_ticks(dates, x_of, min_gap=TICK_LABEL_GAP)
    baseline = _svg_number(top + plot_h)
    for tick_date in tick_dates:
        x = x_of(tick_date)
        body.append(
            _tick((x, top + plot_h, x, top + plot_h + 4), AXIS, (x, top + plot_h + 16), "middle")
            + f"{escape(format_date(tick_date, date_style))}</text>"
        )
    body.append(
        f'<line x1="{_svg_number(left)}" x2="{_svg_number(left + plot_w)}" y1="{baseline}" '
        f'y2="{baseline}" stroke="{AXIS}"/>'
        f'<text x="{_svg_number(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text transform="translate(12 {_svg_number(top + plot_h / 2)}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text></g>'
    )
    legend = []
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[index % len(SERIES_DASHES)]
        marker = SERIES_MARKERS[index % len(SERIES_MARKERS)]
        d, pen_down = [], False
        markers = []
        for when, value in sorted(one.points, key=lambda p: p[0]):
            if value is None:
                pen_down = False
                continue
            x, y = x_of(when), y_of(value)
            d.append(f"{'L' if pen_down else 'M'}{_svg_number(x)} {_svg_number(y)}")
            pen_down = True
            markers.append(_marker(marker, x, y, colour))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<g><title>{escape(one.name)}</title><path d="{"".join(d)}" fill="none" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>{"".join(markers)}</g>'
        )
        legend.append(LegendItem(colour, one.name, dash=dash, marker=marker))
    body.append("</svg>")
    by_series = [dict(s.points) for s in series]
    rows = tuple(
        (
            Cell(format_date(d, date_style), d.isoformat()),
            *(
                Cell(format_number(values.get(d), decimals, unit), values.get(d))
                for values in by_series
            ),
        )
        for d in dates
    )
    table = DataTable(caption=title, columns=(x_label, *(s.name for s in series)), rows=rows)
    return Chart(
        chart_id=chart_id,
        title=title,
        svg=mark_safe("".join(body)),  # noqa: S308 - every text above went through escape()
        table=table,
        legend=tuple(legend) if len(series) > 1 else (),
        description=description,
        csv_url=csv_url or f"?csv={chart_id}",
        notes=tuple(notes),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, Number | None]],
    value_label: str,
    category_label: str,
    description: str = "",
    decimals: int = 0,
    unit: str = "",
    links: Mapping[str, str] | None = None,
    csv_url: str = "",
    notes: Sequence[str] = (),
) -> Chart:
    """Horizontal bars, one per category, the label above its bar (long French labels fit)."""
    row_height, top = 34.0, 4.0
    height = int(top + row_height * max(1, len(bars)) + 4)
    left, right = 4.0, 64.0
    plot_w = CHART_WIDTH - left - right
    known = [v for _label, v in bars if v is not None]
    high = max([0.0, *known]) or 1.0
    low = min([0.0, *known])
    body = [
        _svg_open(chart_id, title, description, CHART_WIDTH, height),
        f'<g font-size="{FONT_SIZE}" fill="{TEXT}">',
    ]
    zero = left + plot_w * (-low / (high - low))
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        text = format_number(value, decimals, unit)
        body.append(
            f'<text x="{_svg_number(left)}" y="{_svg_number(y + 11)}">'
            f"{escape(_shorten(label, 64))}</text>"
        )
        if value is None:
            body.append(
                f'<text x="{_svg_number(left)}" y="{_svg_number(y + 26)}" fill="{AXIS}">'
                f"{escape(_('pas de donnée'))}</text>"
            )
            continue
        start = min(zero, zero + plot_w * value / (high - low))
        width = abs(plot_w * value / (high - low))
        body.append(
            f'<rect x="{_svg_number(start)}" y="{_svg_number(y + 15)}" '
            f'width="{_svg_number(max(width, 0.5))}" height="14" fill="{SERIES_COLOURS[0]}">'
            f"<title>{escape(label)} : {escape(text)}</title></rect>"
            f'<text x="{_svg_number(start + width + 4)}" y="{_svg_number(y + 26)}">'
            f"{escape(text)}</text>"
        )
    body.append("</g></svg>")
    rows = tuple(
        (
            Cell(label, label, (links or {}).get(label, "")),
            Cell(format_number(value, decimals, unit), value),
        )
        for label, value in bars
    )
    longest = high - low  # as in the drawing: low <= 0 <= high, and high > 0 when low == 0
    return Chart(
        chart_id=chart_id,
        title=title,
        svg=mark_safe("".join(body)),  # noqa: S308 - every text above went through escape()
        table=DataTable(caption=title, columns=(category_label, value_label), rows=rows),
        description=description,
        csv_url=csv_url or f"?csv={chart_id}",
        notes=tuple(notes),
        bars=tuple(
            Bar(
                label,
                format_number(value, decimals, unit) if value is not None else _("pas de donnée"),
                None if value is None else 100.0 * abs(value) / longest,
            )
            for label, value in bars
        ),
    )
