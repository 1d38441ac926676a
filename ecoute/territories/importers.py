"""Load the INSEE territories (COG) from the repository's data/ folder, idempotently.

The first half of this module is the small upsert toolkit shared by every reference-data
importer (catalogue, experiences): it lives here because territories is the app every other
importer may already import. Each importer reads its CSV into plain dicts keyed by a natural
key, then `sync_model` creates what is missing and updates only what changed, in batches.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, models, transaction

from ecoute.common.text import fold

from .models import Commune, Departement, PostalCode, Region

BATCH_SIZE = 1000

# Paths inside settings.ECOUTE_DATA_DIR.
COG_DIR = Path("territoires") / "cog-insee"
FRANCE_SERVICES_DIR = Path("territoires") / "france-services"
FRANCE_SERVICES_LIST = FRANCE_SERVICES_DIR / "liste-fs-20240801.csv"
COMMUNES_GEO = Path("territoires") / "communes-geo" / "communes.csv"
COMMUNES_GEO_COLUMNS = ["insee_com", "code_postal", "commune_type", "insee_parente", "lat", "lng"]
COMMUNE_COLUMNS = ["TYPECOM", "COM", "DEP", "LIBELLE"]


class ImportAborted(Exception):
    """Raised inside a dataset transaction to roll it back (strict mode, missing prerequisite)."""

    def __init__(self, message: str, report: DatasetReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class Skip:
    line: int | None
    reason: str


@dataclass
class TableStats:
    """What one import did to one table."""

    table: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)

    def skip(self, line: int | None, reason: str) -> None:
        self.skipped.append(Skip(line, reason))

    @property
    def changed(self) -> int:
        return self.created + self.updated


@dataclass
class DatasetReport:
    """One dataset (territories, catalogue, experiences): a line per table plus free notes."""

    dataset: str
    tables: list[TableStats] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def table(self, name: str) -> TableStats:
        stats = TableStats(name)
        self.tables.append(stats)
        return stats

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tables)

    @property
    def skipped(self) -> int:
        return sum(len(t.skipped) for t in self.tables)

    def lines(self, max_skips: int = 20) -> list[str]:
        out = [f"[{self.dataset}] {self.seconds:.1f} s"]
        for t in self.tables:
            out.append(
                f"  {t.table}: read {t.read}, created {t.created}, updated {t.updated}, "
                f"unchanged {t.unchanged}, skipped {len(t.skipped)}"
            )
            reasons: dict[str, list[int | None]] = {}
            for s in t.skipped:
                reasons.setdefault(s.reason, []).append(s.line)
            for reason, where in reasons.items():
                lines = [str(n) for n in where[:max_skips] if n is not None]
                more = f" (+{len(where) - max_skips} more)" if len(where) > max_skips else ""
                at = f" at line(s) {', '.join(lines)}{more}" if lines else ""
                out.append(f"    skipped {len(where)}: {reason}{at}")
        out.extend(f"  note: {n}" for n in self.notes)
        return out


def read_csv(
    path: Path, *, delimiter: str = ",", required: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) lazily; header names are stripped of BOM and stray quotes.

    The line number is the physical line where the row ends (csv handles quoted newlines). A
    row with the wrong number of fields comes back as {"__error__": reason} for the caller to
    report. A file that cannot be read past some point (an unclosed quote) or lacks one of the
    `required` columns (renamed upstream) raises ImportAborted: no row of it can be trusted.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        # strict: an unclosed quote is an error, not a field swallowing the rest of the file.
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        start = 1
        try:
            header = [clean_header(h) for h in next(reader, [])]
            missing = [name for name in required if name not in header]
            if missing:
                raise ImportAborted(
                    f"{path.name}: missing column(s) {', '.join(map(repr, missing))}"
                )
            while True:
                start = reader.line_num + 1
                values = next(reader, None)
                if values is None:
                    return
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    # Surface malformed rows to the caller instead of guessing column alignment.
                    yield (
                        reader.line_num,
                        {"__error__": f"{len(values)} columns, {len(header)} expected"},
                    )
                    continue
                yield reader.line_num, dict(zip(header, values, strict=True))
        except csv.Error as error:
            raise ImportAborted(f"{path.name}: line {start}: {error}") from error


def coordinate(value: str, bound: float) -> float | None:
    """A finite number within ±bound (90 for latitudes, 180 for longitudes), else None.

    float() accepts 'nan' and 'inf', and a shifted column gives values off the globe: either
    would place a point nowhere (or poison a mean), so they count as missing.
    """
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -bound <= number <= bound else None


def clean_header(name: str) -> str:
    # SP+ puts a BOM *inside* the first quoted header: '\ufeff"Code SP+ de la structure"'.
    return name.replace("\ufeff", "").strip().strip('"').strip()


Key = Hashable
Row = dict[str, Any]
ModelT = TypeVar("ModelT", bound=models.Model)
KeyT = TypeVar("KeyT", bound=Hashable)


def sync_model(
    model: type[ModelT],
    rows: dict[KeyT, Row],
    *,
    stats: TableStats,
    existing: Iterable[ModelT],
    key_of: Callable[[ModelT], KeyT],
    compare: list[str],
    create_only: Iterable[str] = (),
) -> dict[KeyT, ModelT]:
    """Create missing rows and update changed ones, in batches; return every object by key.

    `rows` maps a natural key to attribute values (use attnames such as `region_id` for foreign
    keys). Fields in `compare` are checked and rewritten when they differ; `create_only` fields
    are set when a row is created and then left to the application (e.g. moderation status).
    Rows already stored but absent from the source are left alone: reference data is never
    deleted by an import, since other tables point to it.
    """
    by_key = {key_of(obj): obj for obj in existing}
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    create_only = tuple(create_only)
    for key, values in rows.items():
        obj = by_key.get(key)
        if obj is None:
            obj = model(**{name: values[name] for name in (*compare, *create_only)})
            to_create.append(obj)
            by_key[key] = obj
            continue
        dirty = False
        for name in compare:
            if getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                dirty = True
        if dirty:
            to_update.append(obj)
        else:
            stats.unchanged += 1
    # PostgreSQL and SQLite ≥ 3.35 return the primary keys of bulk-created rows.
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_rows(model, to_update, compare)
    stats.created += len(to_create)
    stats.updated += len(to_update)
    return by_key


def update_rows(model: type[ModelT], objects: list[ModelT], fields: list[str]) -> None:
    """UPDATE each object's `fields` by primary key with one executemany per batch.

    `QuerySet.bulk_update` builds one CASE WHEN per field over the whole batch: quadratic, and
    over 15 s for 15k rows on SQLite. A prepared UPDATE run many times is linear on both
    SQLite and PostgreSQL.
    """
    if not objects:
        return
    meta = model._meta
    concrete = [_concrete_field(model, name) for name in fields]
    concrete = [f for f in concrete if not f.primary_key]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(_column(f))} = %s" for f in concrete)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names from the model)
        f"WHERE {quote(_column(meta.pk))} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
                    + [obj.pk]
                    for obj in objects[start : start + BATCH_SIZE]
                ],
            )


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):  # a reverse relation: no column to write
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return model_field


def _column(model_field: models.Field[Any, Any] | None) -> str:
    if model_field is None or model_field.column is None:  # no pk, or no column (M2M)
        raise TypeError(f"{model_field} has no database column")
    return model_field.column


# --- Territories ------------------------------------------------------------------------


def load_territories(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    """Régions, départements (shape centroids), communes (TYPECOM=COM): one transaction."""
    report = DatasetReport("territories")
    with transaction.atomic():
        _load_regions(data_dir, report)
        _load_departements(data_dir, report)
        _load_communes(data_dir, report)
        _load_postal_codes(data_dir, report)
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
    return report


def _load_regions(data_dir: Path, report: DatasetReport) -> None:
    stats = report.table("territories.region")
    rows: dict[str, Row] = {}
    for line, row in read_csv(data_dir / COG_DIR / "regions.csv", required=["REG", "LIBELLE"]):
        stats.read += 1
        code, name = row.get("REG", "").strip(), row.get("LIBELLE", "").strip()
        if "__error__" in row or not code or not name:
            stats.skip(line, row.get("__error__", "missing REG or LIBELLE"))
            continue
        rows[code] = {"code": code, "name": name}
    sync_model(
        Region,
        rows,
        stats=stats,
        existing=Region.objects.all(),
        key_of=lambda o: o.pk,
        compare=["code", "name"],
    )


def _load_departements(data_dir: Path, report: DatasetReport) -> None:
    stats = report.table("territories.departement")
    centroids = departement_centroids(data_dir / FRANCE_SERVICES_DIR / "geom_dep.geojson")
    regions = set(Region.objects.values_list("code", flat=True))
    rows: dict[str, Row] = {}
    for line, row in read_csv(
        data_dir / COG_DIR / "departements.csv", required=["DEP", "LIBELLE", "REG"]
    ):
        stats.read += 1
        code, name, region = (row.get(k, "").strip() for k in ("DEP", "LIBELLE", "REG"))
        if "__error__" in row or not code or not name:
            stats.skip(line, row.get("__error__", "missing DEP or LIBELLE"))
            continue
        if region not in regions:
            stats.skip(line, f"unknown région {region!r}")
            continue
        lat, lon = centroids.get(code, (None, None))
        rows[code] = {
            "code": code,
            "name": name,
            "region_id": region,
            "latitude": lat,
            "longitude": lon,
        }
    missing = sorted(set(rows) - set(centroids))
    if missing:
        report.notes.append(f"no shape (so no coordinates) for départements {', '.join(missing)}")
    sync_model(
        Departement,
        rows,
        stats=stats,
        existing=Departement.objects.all(),
        key_of=lambda o: o.pk,
        compare=["code", "name", "region_id", "latitude", "longitude"],
    )


def _load_communes(data_dir: Path, report: DatasetReport) -> None:
    stats = report.table("territories.commune")
    departements = set(Departement.objects.values_list("code", flat=True))
    aliases = commune_aliases(data_dir)
    population = _read_population(data_dir / COG_DIR / "donnees_communes.csv", aliases)
    geo = read_communes_geo(data_dir / COMMUNES_GEO, aliases)
    fs_centres = commune_centres_from_france_services(data_dir / FRANCE_SERVICES_LIST, aliases)
    centres = {**fs_centres, **geo.points}
    rows: dict[str, Row] = {}
    other_types = 0
    for line, row in read_csv(data_dir / COG_DIR / "communes.csv", required=COMMUNE_COLUMNS):
        if "__error__" in row:
            stats.read += 1
            stats.skip(line, row["__error__"])
            continue
        if row["TYPECOM"] != "COM":
            # Communes déléguées/associées and Paris/Lyon/Marseille arrondissements are not
            # communes of their own: importers map them to their parent (commune_aliases).
            other_types += 1
            continue
        stats.read += 1
        code, name, dep = row["COM"].strip(), row["LIBELLE"].strip(), row["DEP"].strip()
        if len(code) != 5 or not name:
            stats.skip(line, f"bad commune code or name {code!r}")
            continue
        if dep not in departements:
            stats.skip(line, f"unknown département {dep!r}")
            continue
        lat, lon = centres.get(code, (None, None))
        rows[code] = {
            "code": code,
            "name": name,
            "search_name": commune_search_name(name),
            "departement_id": dep,
            "population": population.get(code),
            "latitude": lat,
            "longitude": lon,
        }
    report.notes.append(
        f"{other_types} COG rows of another TYPECOM (COMD/COMA/ARM) not stored: "
        "importers map them to their parent commune"
    )
    own = sum(1 for code in rows if code in geo.direct)
    merged = sum(1 for code in rows if code in geo.points and code not in geo.direct)
    from_fs = sum(1 for code in rows if code not in geo.points and code in fs_centres)
    located = sum(1 for r in rows.values() if r["latitude"] is not None)
    report.notes.append(
        f"communes-geo: {own} communes located by their own point, {merged} (merged since "
        f"2024) by the mean of their former communes' points, {from_fs} by their France "
        f"services; {len(rows) - located} without coordinates"
    )
    if geo.unmatched:
        shown = ", ".join(sorted(geo.unmatched)[:10])
        report.notes.append(
            f"communes-geo: {len(geo.unmatched)} codes match no COG 2026 entry ({shown}…)"
        )
    sync_model(
        Commune,
        rows,
        stats=stats,
        existing=Commune.objects.all(),
        key_of=lambda o: o.pk,
        compare=[
            "code",
            "name",
            "search_name",
            "departement_id",
            "population",
            "latitude",
            "longitude",
        ],
    )


@dataclass
class CommunesGeo:
    """What `communes-geo/communes.csv` (COG 2024 codes) says about the COG 2026 communes."""

    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    direct: set[str] = field(default_factory=set)  # communes with a row of their own code
    postal_codes: dict[str, set[str]] = field(default_factory=dict)
    unmatched: set[str] = field(default_factory=set)  # codes unknown to the COG 2026


def read_communes_geo(path: Path, aliases: dict[str, str]) -> CommunesGeo:
    """Points and postal codes by COG 2026 commune code.

    A commune with a `COM` row of its own code takes that row's point; a commune created by a
    merger since 2024 takes the mean of its former communes' points (their codes are COMD or
    COMA entries of the 2026 COG). Arrondissements and communes déléguées add their postal codes
    to their commune (75101 → 75001 for Paris 75056).
    """
    geo = CommunesGeo()
    if not path.exists():
        return geo
    own: dict[str, tuple[float, float]] = {}
    pieces: dict[str, list[tuple[float, float]]] = {}
    for _line, row in read_csv(path, required=COMMUNES_GEO_COLUMNS):
        if "__error__" in row:
            continue
        code = row["insee_com"].strip()
        commune = aliases.get(code) or aliases.get(row["insee_parente"].strip())
        if commune is None:
            geo.unmatched.add(code)
            continue
        postal_code = row["code_postal"].strip()
        if len(postal_code) == 5 and postal_code.isdigit():
            geo.postal_codes.setdefault(commune, set()).add(postal_code)
        lat, lon = coordinate(row["lat"], 90), coordinate(row["lng"], 180)
        if lat is None or lon is None or row["commune_type"].strip() != "COM":
            continue
        if commune == code:
            own[code] = (lat, lon)
        else:
            pieces.setdefault(commune, []).append((lat, lon))
    merged = {
        code: (round(sum(p[0] for p in ps) / len(ps), 6), round(sum(p[1] for p in ps) / len(ps), 6))
        for code, ps in pieces.items()
        if code not in own
    }
    geo.points = {**merged, **own}
    geo.direct = set(own)
    return geo


def _load_postal_codes(data_dir: Path, report: DatasetReport) -> None:
    """`PostalCode` rows from communes-geo; codes no longer in the file are removed (nothing
    points to a postal code row)."""
    stats = report.table("territories.postalcode")
    geo = read_communes_geo(data_dir / COMMUNES_GEO, commune_aliases(data_dir))
    communes = set(Commune.objects.values_list("code", flat=True))
    wanted = {
        (code, commune)
        for commune, codes in geo.postal_codes.items()
        if commune in communes
        for code in codes
    }
    stats.read = len(wanted)
    existing = dict(
        ((code, commune), pk)
        for pk, code, commune in PostalCode.objects.values_list("pk", "code", "commune_id")
    )
    gone = [pk for key, pk in existing.items() if key not in wanted]
    PostalCode.objects.filter(pk__in=gone).delete()
    stats.updated = len(gone)
    new = [PostalCode(code=code, commune_id=commune) for code, commune in wanted - existing.keys()]
    PostalCode.objects.bulk_create(new, batch_size=BATCH_SIZE)
    stats.created = len(new)
    stats.unchanged = len(wanted) - len(new)
    without = len(communes - {commune for _code, commune in wanted})
    if without:
        report.notes.append(f"{without} communes have no postal code in communes-geo")


def commune_search_name(name: str) -> str:
    """Folded name the commune search matches ("saint etienne" finds Saint-Étienne)."""
    return fold(name)[:100]


def _read_population(path: Path, aliases: dict[str, str]) -> dict[str, int]:
    """PMUN by commune; Paris, Lyon and Marseille are listed by arrondissement, so summed."""
    own: dict[str, int] = {}
    summed: dict[str, int] = {}
    for _line, row in read_csv(path, delimiter=";", required=["COM", "PMUN"]):
        value, code = row.get("PMUN", "").strip(), row.get("COM", "").strip()
        if value.isdigit():
            own[code] = int(value)
            parent = aliases.get(code, code)
            if parent != code:
                summed[parent] = summed.get(parent, 0) + int(value)
    return {**summed, **own}


def commune_aliases(data_dir: Path) -> dict[str, str]:
    """INSEE code of every COG entry -> code of the commune it belongs to.

    Maps arrondissements (75101 -> 75056) and communes déléguées/associées to their parent, so a
    structure filed under an old or infra-communal code still lands in a stored commune.
    """
    aliases: dict[str, str] = {}
    for _line, row in read_csv(data_dir / COG_DIR / "communes.csv", required=COMMUNE_COLUMNS):
        if "__error__" in row:
            continue
        code = row["COM"].strip()
        if row["TYPECOM"] == "COM":
            aliases[code] = code
        elif row.get("COMPARENT", "").strip():
            aliases.setdefault(code, row["COMPARENT"].strip())
    return aliases


def commune_centres_from_france_services(
    path: Path, aliases: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Mean (latitude, longitude) of the France services of each commune.

    The COG carries no coordinates and no registry package ships commune centres; France
    services are spread over ~2,400 communes, enough to place the main towns on a map.
    """
    sums: dict[str, list[float]] = {}
    if not path.exists():
        return {}
    for _line, row in read_csv(path, required=["insee_com", "latitude", "longitude"]):
        lat = coordinate(row.get("latitude", ""), 90)
        lon = coordinate(row.get("longitude", ""), 180)
        if lat is None or lon is None:  # also a malformed row (no keys)
            continue
        code = row["insee_com"].strip()
        acc = sums.setdefault(aliases.get(code, code), [0.0, 0.0, 0])
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
    return {code: (round(s[0] / s[2], 6), round(s[1] / s[2], 6)) for code, s in sums.items()}


def departement_centroids(path: Path) -> dict[str, tuple[float, float]]:
    """Area-weighted centroid (latitude, longitude) of each département's simplified shape."""
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    centroids: dict[str, tuple[float, float]] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        total = cx = cy = 0.0
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                area, x, y = _ring_centroid(ring)
                sign = 1.0 if index == 0 else -1.0  # holes subtract
                total += sign * area
                cx += sign * area * x
                cy += sign * area * y
        if total:
            code = feature["properties"]["insee_dep"]
            centroids[code] = (round(cy / total, 5), round(cx / total, 5))
    return centroids


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(absolute area, x, y) of a closed ring, planar in degrees: good enough for display."""
    area = cx = cy = 0.0
    for p0, p1 in zip(ring, ring[1:], strict=False):
        x0, y0, x1, y1 = p0[0], p0[1], p1[0], p1[1]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, 0.0, 0.0
    area /= 2
    x, y = cx / (6 * area), cy / (6 * area)
    return abs(area), x, y
