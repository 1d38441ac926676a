"""Load both editions of the baromètre des résultats from data/barometre-resultats/.

Idempotent: natural keys everywhere (edition code; policy code per edition; indicator code per
policy; indicator, zone, kind and date per value), so a second run creates nothing and reports
every row unchanged. Values no longer in the files are deleted (nothing points to them). Memory
stays bounded: the 2024 edition is streamed one indicator file at a time; the 2023 edition,
frozen and small (7,500 rows in four files sorted by département, not by indicator), is grouped
by indicator in memory before it is written. The caveats of the source files are handled here
and counted in the report (see docs/decisions/0018-barometre-des-resultats.md).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from ecoute.territories.importers import (
    BATCH_SIZE,
    DatasetReport,
    ImportAborted,
    Row,
    TableStats,
    read_csv,
    sync_model,
    update_rows,
)
from ecoute.territories.models import Departement, Region

from .models import (
    SUMMARY_FIELDS,
    Edition,
    Indicator,
    Policy,
    Summary,
    Tendance,
    Theme,
    Value,
    ValueKind,
    ZoneKind,
)

DATA_DIR = Path("barometre-resultats")
ETALAB_DIR = DATA_DIR / "etalab-2023"
DITP_DIR = DATA_DIR / "ditp-2024"
ETALAB_FILES: dict[str, str] = {
    ZoneKind.DEPARTEMENT: "barometre-resultats-synthese-departemental.csv",
    ZoneKind.REGION: "barometre-resultats-synthese-regional.csv",
    ZoneKind.NATION: "barometre-resultats-synthese-national.csv",
}
ETALAB_HISTORY = "barometre-resultats-detail-national.csv"
ETALAB_ZONE_COLUMN: dict[str, str] = {
    ZoneKind.DEPARTEMENT: "code_departement",
    ZoneKind.REGION: "code_region",
    ZoneKind.NATION: "maille_geographique",
}

EDITIONS: dict[str, Row] = {
    "2023": {
        "name": "Baromètre des résultats de l'action publique — édition de janvier 2023",
        "publisher": "Etalab et DITP",
        "published_on": dt.date(2023, 1, 19),
        "source_url": "https://github.com/etalab/barometre-resultats-donnees",
        "licence": "Licence Ouverte 2.0 (Etalab)",
        "policy_label": "mesure",
    },
    "2024": {
        "name": "Baromètre des résultats de l'action publique — édition d'octobre 2024",
        "publisher": "DITP",
        "published_on": dt.date(2024, 10, 17),
        "source_url": "https://github.com/DITP-pilotage/barometre-resultats",
        "licence": "Aucun fichier de licence dans le dépôt source (publié sur data.gouv.fr)",
        "policy_label": "chantier",
    },
}

# (zone kind, INSEE code or "" for the nation)
ZoneKey = tuple[str, str]
# (zone kind, zone code, value kind, date)
ValueKey = tuple[str, str, str, dt.date]
UNIT_IN_NAME = re.compile(r"\(en ([^)]+)\)\s*$")


@dataclass
class Zones:
    """The INSEE codes the values may point to (territories are loaded first)."""

    regions: set[str]
    departements: set[str]

    @classmethod
    def load(cls) -> Zones:
        return cls(
            set(Region.objects.values_list("code", flat=True)),
            set(Departement.objects.values_list("code", flat=True)),
        )

    def knows(self, zone: ZoneKey) -> bool:
        kind, code = zone
        if kind == ZoneKind.NATION:
            return True
        return code in (self.regions if kind == ZoneKind.REGION else self.departements)


@dataclass
class LoadStats:
    """The report's tables for the values and summaries, shared by both editions."""

    values: TableStats
    summaries: TableStats
    deleted: int = 0
    empty_rows: int = 0
    notes: list[str] = field(default_factory=list)


def load_barometre_resultats(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    """Both editions, in one transaction. Needs the territories (régions, départements)."""
    report = DatasetReport("barometre-resultats")
    with transaction.atomic():
        zones = Zones.load()
        if not zones.departements:
            raise ImportAborted("no département loaded: load the territories first", report)
        editions = _load_editions(report)
        stats = LoadStats(report.table("policies.value"), report.table("policies.summary"))
        _load_etalab_2023(data_dir / ETALAB_DIR, editions["2023"], zones, report, stats)
        _load_ditp_2024(data_dir / DITP_DIR, editions["2024"], zones, report, stats)
        report.notes.append(
            "in policies.value, 'read' counts CSV rows and created/updated/unchanged count "
            f"values (a row may carry several); {stats.deleted} values no longer in the files "
            f"deleted; {stats.empty_rows} empty 2024 rows (no date, no value) ignored"
        )
        report.notes.extend(stats.notes)
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
    return report


def _load_editions(report: DatasetReport) -> dict[str, Edition]:
    stats = report.table("policies.edition")
    stats.read = len(EDITIONS)
    return sync_model(
        Edition,
        {code: {"code": code, **values} for code, values in EDITIONS.items()},
        stats=stats,
        existing=Edition.objects.all(),
        key_of=lambda o: o.code,
        compare=["code", *EDITIONS["2023"]],
    )


# --- Parsing helpers ---------------------------------------------------------------------


def number(text: str) -> float | None:
    """A finite number, else None ('' is a missing value, not an error: callers check)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _cell(
    values: dict[ValueKey, float],
    stats: TableStats,
    where: str,
    line: int,
    zone: ZoneKey,
    kind: str,
    raw_value: str,
    raw_date: str,
) -> None:
    """Store one value cell of a row; an empty cell is no value; a bad one is a skip."""
    if not raw_value.strip():
        return
    value, date = number(raw_value), day(raw_date)
    if value is None:
        stats.skip(line, f"{where}: {kind}: not a number")
    elif date is None:
        stats.skip(line, f"{where}: {kind}: value without a valid date")
    else:
        values.setdefault((zone[0], zone[1], kind, date), value)


# --- Writing one indicator's values and summaries ---------------------------------------


def sync_indicator_values(
    indicator: Indicator, values: dict[ValueKey, float], stats: LoadStats
) -> None:
    """Make the stored values of `indicator` exactly `values`, then rebuild its summaries."""
    existing: dict[ValueKey, Value] = {}
    for obj in Value.objects.filter(indicator=indicator).only(
        "pk", "zone_kind", "region_id", "departement_id", "kind", "date", "value"
    ):
        code = obj.region_id or obj.departement_id or ""
        existing[(obj.zone_kind, code, obj.kind, obj.date)] = obj
    to_create: list[Value] = []
    to_update: list[Value] = []
    for key, value in values.items():
        obj = existing.pop(key, None)  # type: ignore[arg-type]
        if obj is None:
            to_create.append(_value(indicator, key, value))
        elif obj.value != value:
            obj.value = value
            to_update.append(obj)
        else:
            stats.values.unchanged += 1
    Value.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_rows(Value, to_update, ["value"])
    if existing:
        Value.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    stats.values.created += len(to_create)
    stats.values.updated += len(to_update)
    stats.deleted += len(existing)
    _sync_summaries(indicator, values, stats.summaries)


def _zone_fields(zone_kind: str, code: str) -> Row:
    return {
        "zone_kind": zone_kind,
        "region_id": code if zone_kind == ZoneKind.REGION else None,
        "departement_id": code if zone_kind == ZoneKind.DEPARTEMENT else None,
    }


def _value(indicator: Indicator, key: ValueKey, value: float) -> Value:
    zone_kind, code, kind, date = key
    return Value(
        indicator=indicator, kind=kind, date=date, value=value, **_zone_fields(zone_kind, code)
    )


def summarise(values: dict[ValueKey, float]) -> dict[ZoneKey, Row]:
    """Per zone: the earliest initial value, the latest current value, target and progress."""
    out: dict[ZoneKey, Row] = {}
    prefix = {
        ValueKind.INITIAL: "initial",
        ValueKind.CURRENT: "current",
        ValueKind.TARGET: "target",
        ValueKind.PROGRESS: "progress",
    }
    for (zone_kind, code, kind, date), value in sorted(values.items(), key=lambda i: i[0][3]):
        row = out.setdefault((zone_kind, code), dict.fromkeys(SUMMARY_FIELDS))
        name = prefix[ValueKind(kind)]
        if kind == ValueKind.INITIAL and row["initial_date"] is not None:
            continue  # the earliest initial value is the baseline
        row[f"{name}_value"], row[f"{name}_date"] = value, date
    return out


def _sync_summaries(indicator: Indicator, values: dict[ValueKey, float], stats: TableStats) -> None:
    wanted = summarise(values)
    existing = {
        (o.zone_kind, o.region_id or o.departement_id or ""): o
        for o in Summary.objects.filter(indicator=indicator)
    }
    to_create, to_update = [], []
    for (zone_kind, code), row in wanted.items():
        stats.read += 1
        obj = existing.pop((zone_kind, code), None)
        if obj is None:
            to_create.append(Summary(indicator=indicator, **_zone_fields(zone_kind, code), **row))
        elif any(getattr(obj, name) != row[name] for name in SUMMARY_FIELDS):
            for name in SUMMARY_FIELDS:
                setattr(obj, name, row[name])
            to_update.append(obj)
        else:
            stats.unchanged += 1
    Summary.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_rows(Summary, to_update, SUMMARY_FIELDS)
    if existing:
        Summary.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    stats.created += len(to_create)
    stats.updated += len(to_update)


def _sync_named(
    model: type[Theme] | type[Policy],
    edition: Edition,
    rows: dict[str, Row],
    stats: TableStats,
) -> dict[str, Any]:
    return sync_model(
        model,
        {code: {"edition_id": edition.pk, **row} for code, row in rows.items()},
        stats=stats,
        existing=model.objects.filter(edition=edition),  # type: ignore[attr-defined]
        key_of=lambda o: o.code,
        compare=["edition_id", *next(iter(rows.values()), {"code": ""})],
    )


def _sync_indicators(
    edition: Edition, rows: dict[str, Row], stats: TableStats
) -> dict[str, Indicator]:
    compare = ["policy_id", "code", "name", "description", "unit", "tendance", "evolution"]
    return sync_model(
        Indicator,
        rows,
        stats=stats,
        existing=Indicator.objects.filter(policy__edition=edition),
        key_of=lambda o: o.code,
        compare=compare,
    )


# --- 2023: Etalab ------------------------------------------------------------------------


@dataclass
class EtalabIndicator:
    policy: str
    name: str
    unit: str
    values: dict[ValueKey, float] = field(default_factory=dict)
    seen: dict[ZoneKey, int] = field(default_factory=dict)  # zone → line of its synthèse row
    history: list[tuple[int, dt.date, float]] = field(default_factory=list)


def _load_etalab_2023(
    folder: Path, edition: Edition, zones: Zones, report: DatasetReport, stats: LoadStats
) -> None:
    indicators: dict[str, EtalabIndicator] = {}
    rows_stats = stats.values
    for zone_kind, name in ETALAB_FILES.items():
        empty = _read_etalab_synthese(folder / name, zone_kind, indicators, zones, rows_stats)
        if empty:
            stats.notes.append(f"2023 {name}: {empty} rows without a target (cible), kept")
    _read_etalab_history(folder / ETALAB_HISTORY, indicators, rows_stats)

    policies = {
        slugify(meta.policy)[:150]: {"code": slugify(meta.policy)[:150], "name": meta.policy}
        for meta in indicators.values()
    }
    policy_stats = report.table("policies.policy (2023)")
    policy_stats.read = len(policies)
    by_code = _sync_named(Policy, edition, policies, policy_stats)
    indicator_rows = {
        code: {
            "policy_id": by_code[slugify(meta.policy)[:150]].pk,
            "code": code,
            "name": meta.name,
            "description": "",
            "unit": meta.unit,
            "tendance": _tendance_from_target(meta.values),
            "evolution": "",
        }
        for code, meta in indicators.items()
    }
    indicator_stats = report.table("policies.indicator (2023)")
    indicator_stats.read = len(indicator_rows)
    stored = _sync_indicators(edition, indicator_rows, indicator_stats)
    for code, meta in indicators.items():
        _merge_history(code, meta, rows_stats, stats)
        sync_indicator_values(stored[code], meta.values, stats)


def _read_etalab_synthese(
    path: Path,
    zone_kind: str,
    indicators: dict[str, EtalabIndicator],
    zones: Zones,
    stats: TableStats,
) -> int:
    """Read one synthèse file into `indicators`; return how many rows had no target."""
    zone_column = ETALAB_ZONE_COLUMN[zone_kind]
    empty_targets = 0
    for line, row in read_csv(path, required=["mesure", "id_indicateur", zone_column]):
        stats.read += 1
        if "__error__" in row:
            stats.skip(line, row["__error__"])
            continue
        code, policy = row["id_indicateur"].strip(), row["mesure"].strip()
        if not code or not policy:
            stats.skip(line, f"{path.name}: no id_indicateur or mesure")
            continue
        zone: ZoneKey = (zone_kind, "" if zone_kind == ZoneKind.NATION else row[zone_column])
        if not zones.knows(zone):
            stats.skip(line, f"{path.name}: unknown zone")
            continue
        meta = indicators.setdefault(
            code,
            EtalabIndicator(policy, row["indicateur"].strip(), row.get("unite", "").strip()),
        )
        if meta.policy != policy:
            stats.skip(line, f"{path.name}: indicator already read under another mesure")
            continue
        if zone in meta.seen:
            # nb-logement-accompagnement appears twice per zone, under two labels, same values.
            stats.skip(line, f"{path.name}: indicator and zone already read on an earlier line")
            continue
        meta.seen[zone] = line
        va_date = row["date_valeur_actuelle"]
        cells = [
            (ValueKind.INITIAL, row["valeur_initiale"], row["date_valeur_initiale"]),
            (ValueKind.CURRENT, row["valeur_actuelle"], va_date),
            # The value at the previous update: one more point of the same series.
            (
                ValueKind.CURRENT,
                row["progression_derniere_maj"],
                row["progression_derniere_maj_date"],
            ),
            (ValueKind.TARGET, row["cible"], row["date_cible"]),
            (ValueKind.PROGRESS, row["pourcentage_cible"], va_date),
        ]
        empty_targets += not row["cible"].strip()
        for kind, raw_value, raw_date in cells:
            _cell(meta.values, stats, path.name, line, zone, kind, raw_value, raw_date)
    return empty_targets


def _read_etalab_history(
    path: Path, indicators: dict[str, EtalabIndicator], stats: TableStats
) -> None:
    for line, row in read_csv(path, required=["id_indicateur", "date", "valeur"]):
        stats.read += 1
        if "__error__" in row:
            stats.skip(line, row["__error__"])
            continue
        meta = indicators.get(row["id_indicateur"].strip())
        value, date = number(row["valeur"]), day(row["date"])
        if meta is None:
            stats.skip(line, f"{path.name}: indicator absent from the synthèse files")
        elif value is None or date is None:
            stats.skip(line, f"{path.name}: no valid date or value")
        else:
            meta.history.append((line, date, value))


def _merge_history(code: str, meta: EtalabIndicator, rows: TableStats, stats: LoadStats) -> None:
    """Add the national history as current values, unless it contradicts the synthèse.

    For six indicators (road deaths, offences…) the detail file gives monthly counts where the
    synthèse gives 12-month totals: mixing them would draw a false jump, so their history is
    left out (and counted) rather than plotted beside the headline value.
    """
    nation, current = ZoneKind.NATION.value, ValueKind.CURRENT.value
    history: dict[ValueKey, float] = {}
    duplicates: list[int] = []
    for line, date, value in meta.history:
        key = (nation, "", current, date)
        if key in history:
            duplicates.append(line)
            continue
        history[key] = value
    conflicts = [k for k, v in history.items() if k in meta.values and meta.values[k] != v]
    if conflicts:
        for line, _date, _value in meta.history:
            rows.skip(
                line,
                f"{ETALAB_HISTORY}: national history measures another quantity than the "
                "synthèse (indicator left without history)",
            )
        stats.notes.append(
            f"2023 {code}: national history left out (it differs from the synthèse on "
            f"{len(conflicts)} date(s): monthly counts against 12-month totals)"
        )
        return
    for line in duplicates:
        rows.skip(line, f"{ETALAB_HISTORY}: date already read for this indicator")
    for key, value in history.items():
        meta.values.setdefault(key, value)


def _tendance_from_target(values: dict[ValueKey, float]) -> str:
    """2023 files do not say which way is progress: the targets against the initial values
    tell it, where both exist (most zones agreeing; none: left empty)."""
    initial: dict[ZoneKey, float] = {}
    target: dict[ZoneKey, float] = {}
    for (zone_kind, code, kind, _date), value in values.items():
        if kind == ValueKind.INITIAL:
            initial[(zone_kind, code)] = value
        elif kind == ValueKind.TARGET:
            target[(zone_kind, code)] = value
    up = sum(1 for z, v in target.items() if z in initial and v > initial[z])
    down = sum(1 for z, v in target.items() if z in initial and v < initial[z])
    if up == down:
        return ""
    return Tendance.UP if up > down else Tendance.DOWN


# --- 2024: DITP --------------------------------------------------------------------------

DITP_ZONES: dict[str, str] = {
    "DEPT": ZoneKind.DEPARTEMENT,
    "REG": ZoneKind.REGION,
    "NAT": ZoneKind.NATION,
}
DITP_CELLS = [
    ("indic_vi", ValueKind.INITIAL),
    ("indic_va", ValueKind.CURRENT),
    ("indic_vc", ValueKind.TARGET),
    ("indic_ta", ValueKind.PROGRESS),
]
DITP_COLUMNS = ["indic_id", "enforce_zone_id", "metric_enforce_date", "maille"]


def _load_ditp_2024(
    folder: Path, edition: Edition, zones: Zones, report: DatasetReport, stats: LoadStats
) -> None:
    meta = folder / "metadata"
    theme_stats = report.table("policies.theme (2024)")
    themes: dict[str, Row] = {}
    for line, row in read_csv(
        meta / "meta_engagement.csv",
        required=["engagement_id", "engagement_short", "engagement_name"],
    ):
        theme_stats.read += 1
        code, name = row.get("engagement_short", "").strip(), row.get("engagement_name", "")
        position = row.get("engagement_id", "").strip()
        if "__error__" in row or not code or not position.isdigit():
            theme_stats.skip(line, row.get("__error__", "no engagement_short or engagement_id"))
            continue
        themes[code] = {"code": code, "name": name.strip(), "position": int(position)}
    by_theme = _sync_named(Theme, edition, themes, theme_stats)

    policy_stats = report.table("policies.policy (2024)")
    policies: dict[str, Row] = {}
    for line, row in read_csv(
        meta / "meta_chantiers.csv", required=["chantier_id", "ch_nom", "engagement_short"]
    ):
        policy_stats.read += 1
        code, name = row.get("chantier_id", "").strip(), row.get("ch_nom", "").strip()
        theme = by_theme.get(row.get("engagement_short", "").strip())
        if "__error__" in row or not code or not name:
            policy_stats.skip(line, row.get("__error__", "no chantier_id or ch_nom"))
            continue
        policies[code] = {"code": code, "name": name, "theme_id": theme.pk if theme else None}
    by_policy = _sync_named(Policy, edition, policies, policy_stats)

    indicator_stats = report.table("policies.indicator (2024)")
    indicators: dict[str, Row] = {}
    for line, row in read_csv(
        meta / "meta_indicateurs.csv",
        required=["indic_id", "indic_parent_ch", "indic_nom_baro", "tendance"],
    ):
        indicator_stats.read += 1
        if "__error__" in row:
            indicator_stats.skip(line, row["__error__"])
            continue
        code = row["indic_id"].strip()
        policy = by_policy.get(row["indic_parent_ch"].strip())
        # indic_nom and indic_descr are empty in this edition: the *_baro columns are the text.
        name = row["indic_nom_baro"].strip() or row.get("indic_nom", "").strip()
        if not code or not name or policy is None:
            indicator_stats.skip(line, "no indic_id or name, or unknown indic_parent_ch")
            continue
        tendance = row["tendance"].strip()
        unit = UNIT_IN_NAME.search(name)
        indicators[code] = {
            "policy_id": policy.pk,
            "code": code,
            "name": name,
            "description": (row.get("indic_descr_baro") or row.get("indic_descr") or "").strip(),
            "unit": unit.group(1).strip() if unit else "",
            "tendance": tendance if tendance in Tendance.values else "",
            "evolution": row.get("indic_categorie_evolution", "").strip(),
        }
    stored = _sync_indicators(edition, indicators, indicator_stats)
    rows_stats = stats.values
    for code, indicator in stored.items():
        if code not in indicators:
            continue
        path = folder / "data" / f"{code.lower()}.csv"
        if not path.exists():
            stats.notes.append(f"2024 {code}: no data file {path.name}")
            continue
        values = _read_ditp_values(path, code, zones, rows_stats, stats)
        sync_indicator_values(indicator, values, stats)


def _read_ditp_values(
    path: Path, code: str, zones: Zones, stats: TableStats, load: LoadStats
) -> dict[ValueKey, float]:
    values: dict[ValueKey, float] = {}
    initial_lines: list[int] = []
    for line, row in read_csv(path, required=[*DITP_COLUMNS, *(c for c, _k in DITP_CELLS)]):
        stats.read += 1
        if "__error__" in row:
            stats.skip(line, row["__error__"])
            continue
        if row["indic_id"].strip() != code:
            stats.skip(line, f"{path.name}: indic_id differs from the file's indicator")
            continue
        raw_date = row["metric_enforce_date"].strip()
        if not raw_date and not any(row[c].strip() for c, _k in DITP_CELLS):
            load.empty_rows += 1  # the DITP lists every zone, even without any value
            continue
        zone = _ditp_zone(row["enforce_zone_id"].strip(), row["maille"].strip())
        if zone is None or not zones.knows(zone):
            stats.skip(line, f"{path.name}: unknown zone")
            continue
        for column, kind in DITP_CELLS:
            if kind == ValueKind.INITIAL and row[column].strip():
                initial_lines.append(line)
            _cell(values, stats, path.name, line, zone, kind, row[column], raw_date)
    _drop_placeholder_initials(values, initial_lines, stats, path.name)
    return values


def _ditp_zone(zone_id: str, maille: str) -> ZoneKey | None:
    kind = DITP_ZONES.get(maille)
    if kind == ZoneKind.NATION and zone_id == "FRANCE":
        return (kind, "")
    prefixes: dict[str, str] = {ZoneKind.REGION: "R", ZoneKind.DEPARTEMENT: "D"}
    prefix = prefixes.get(kind or "")
    if kind and prefix and zone_id.startswith(prefix) and len(zone_id) > 1:
        return (kind, zone_id[1:])
    return None


def _drop_placeholder_initials(
    values: dict[ValueKey, float], lines: list[int], stats: TableStats, where: str
) -> None:
    """An indicator whose initial value is 0.0 in every zone has no initial value: the DITP
    writes 0.0 as a placeholder (IND-246, satisfaction in France services at 0 % everywhere).
    A 0.0 in some zones only is kept (a real zero: no such class in that département), and so
    is a lone national 0.0 (a count that really started from nothing: magistrates recruited)."""
    initials = [k for k in values if k[2] == ValueKind.INITIAL]
    if len(initials) > 1 and all(values[k] == 0 for k in initials):
        for key in initials:
            del values[key]
        for line in lines:
            stats.skip(line, f"{where}: placeholder initial value 0.0 in every zone, not stored")
