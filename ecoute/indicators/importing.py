"""Reading a file of measurements (`import_indicators`, the admin's upload): every line is
checked before anything is stored, and the report names each problem by its line, in French.

Format (UTF-8, comma or semicolon, header line required; docs/indicators-import.md):

    indicateur,code_sp,point_de_contact,periode,numerateur,denominateur
    taux-decroche,,sp:1234:telephone,2026-05,812,1000
    respect-delai,DGFIP-75,,2026-05,95,120

One line per organisation (its SP+ code) *or* contact point (its key) × performance indicator
× month (AAAA-MM).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.catalogue.models import ContactPoint, Organisation

from .definitions import BY_SLUG, PERFORMANCE

COLUMNS = ("indicateur", "code_sp", "point_de_contact", "periode", "numerateur", "denominateur")
MAX_LINES = 200_000
MAX_ERRORS = 200  # the report stops listing after this many (the file is refused anyway)


@dataclass(frozen=True)
class Line:
    line: int
    indicator: str
    organisation_id: int | None
    contact_point_id: int | None
    month: dt.date
    numerator: int
    denominator: int

    @property
    def key(self) -> tuple[str, int | None, int | None, dt.date]:
        return (self.indicator, self.organisation_id, self.contact_point_id, self.month)


@dataclass
class ImportReport:
    source: str
    errors: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0
    created: int = 0
    corrected: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, message))

    def summary(self) -> str:
        if not self.ok:
            return _("Fichier refusé : %(n)d erreur(s), rien n'a été enregistré.") % {
                "n": len(self.errors)
            }
        return _(
            "%(lines)d ligne(s) lue(s) : %(created)d mesure(s) nouvelle(s), "
            "%(corrected)d corrigée(s), %(unchanged)d inchangée(s)."
        ) % {
            "lines": self.lines,
            "created": self.created,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
        }

    def lines_text(self) -> list[str]:
        return [
            _("Ligne %(line)d : %(message)s") % {"line": n, "message": m} for n, m in self.errors
        ]


def decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _month(text: str) -> dt.date | None:
    year, _sep, month = text.strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        return None
    if not 1 <= int(month) <= 12 or int(year) < 2000:
        return None
    return dt.date(int(year), int(month), 1)


def _count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def parse(text: str, report: ImportReport) -> list[Line]:
    """Every line checked; `report.errors` lists what is wrong (then nothing may be stored)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        report.error(
            1,
            _("colonnes manquantes : %(missing)s (attendues : %(expected)s).")
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)},
        )
        return []
    reader.fieldnames = header
    raw: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if len(raw) >= MAX_LINES:
            report.error(
                reader.line_num,
                _("plus de %(max)d lignes : découpez le fichier.") % {"max": MAX_LINES},
            )
            return []
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # blank line
        raw.append((reader.line_num, {k: (row.get(k) or "").strip() for k in COLUMNS}))
    report.lines = len(raw)
    if not raw:
        report.error(2, _("le fichier ne contient aucune mesure."))
        return []
    organisations = dict(
        Organisation.objects.filter(
            sp_code__in={r["code_sp"] for _n, r in raw if r["code_sp"]}
        ).values_list("sp_code", "pk")
    )
    points = dict(
        ContactPoint.objects.filter(
            source_key__in={r["point_de_contact"] for _n, r in raw if r["point_de_contact"]}
        ).values_list("source_key", "pk")
    )
    this_month = timezone.localdate().replace(day=1)
    performance = {i.slug for i in PERFORMANCE}
    lines: list[Line] = []
    seen: dict[tuple[object, ...], int] = {}
    for number, row in raw:
        problems = []
        slug = row["indicateur"]
        if slug not in performance:
            if slug in BY_SLUG:
                problems.append(
                    _(
                        "l'indicateur « %(slug)s » est calculé à partir des avis, "
                        "il ne s'importe pas."
                    )
                    % {"slug": slug}
                )
            else:
                problems.append(
                    _("indicateur inconnu « %(slug)s » (attendus : %(expected)s).")
                    % {"slug": slug, "expected": ", ".join(sorted(performance))}
                )
        code, point_key = row["code_sp"], row["point_de_contact"]
        organisation_id = point_id = None
        if bool(code) == bool(point_key):
            problems.append(
                _("indiquez soit code_sp (une organisation), soit point_de_contact, pas les deux.")
            )
        elif code and (organisation_id := organisations.get(code)) is None:
            problems.append(_("aucune organisation n'a le code SP+ « %(code)s ».") % {"code": code})
        elif point_key and (point_id := points.get(point_key)) is None:
            problems.append(
                _("aucun point de contact n'a la clé « %(key)s ».") % {"key": point_key}
            )
        month = _month(row["periode"])
        if month is None:
            problems.append(
                _("période « %(value)s » invalide : écrivez le mois AAAA-MM.")
                % {"value": row["periode"]}
            )
        elif month >= this_month:
            problems.append(
                _("la période %(value)s n'est pas encore terminée.") % {"value": row["periode"]}
            )
        numerator, denominator = _count(row["numerateur"]), _count(row["denominateur"])
        if numerator is None or denominator is None:
            problems.append(
                _("numérateur et dénominateur doivent être des nombres entiers positifs ou nuls.")
            )
        elif numerator > denominator:
            problems.append(
                _("le numérateur (%(n)d) dépasse le dénominateur (%(d)d).")
                % {"n": numerator, "d": denominator}
            )
        if problems:
            for problem in problems:
                report.error(number, problem)
            continue
        if month is None or numerator is None or denominator is None:  # pragma: no cover
            continue  # reported above
        line = Line(number, slug, organisation_id, point_id, month, numerator, denominator)
        if (earlier := seen.get(line.key)) is not None:
            report.error(number, _("même mesure que la ligne %(first)d.") % {"first": earlier})
            continue
        seen[line.key] = number
        lines.append(line)
    return lines
