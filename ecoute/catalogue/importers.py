"""Load the Services Publics + directory and the France services list into the catalogue.

One transaction for the whole catalogue: networks, structure types, organisations (SP+ tree,
then France services not in SP+), the parent/path pass, and contact points (counters, websites,
phone lines). Every row carries a natural key (SP+ code, France services id, `source_key`), so
running the import again creates nothing and rewrites only what changed at the source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from ecoute.common.text import fold
from ecoute.territories.importers import (
    FRANCE_SERVICES_LIST,
    DatasetReport,
    ImportAborted,
    Key,
    Row,
    commune_aliases,
    coordinate,
    read_csv,
    sync_model,
    update_rows,
)
from ecoute.territories.models import Commune, Departement

from .actions import index_organisations
from .models import Channel, ContactPoint, Network, Organisation, OrganisationType
from .search import search_text_for

SP_STRUCTURES = Path("sp-plus") / "export-structures.csv"
FRANCE_SERVICES_NETWORK = "France services"
# identifier_type of organisations created from the France services list (no SP+ code).
FS_ID_TYPE = "id France services"
SP_FS_ID_TYPE = "Matricule"  # SP+ files the France services id under this identifier type

ORG_FIELDS = [
    "sp_code",
    "name",
    "public_name",
    "network_id",
    "type_id",
    "identifier",
    "identifier_type",
    "commune_id",
    "departement_id",
    "region_id",
    "website",
    "is_active",
]
CONTACT_FIELDS = [
    "source_key",
    "organisation_id",
    "channel",
    "name",
    "description",
    "address",
    "postal_code",
    "commune_id",
    "departement_id",
    "url",
    "phone",
    "latitude",
    "longitude",
    "is_active",
    "search_text",
]
# Columns read with row[...]: a renamed one aborts the import with its name (read_csv).
SP_COLUMNS = [
    "Code SP+ de la structure",
    "Intitulé du réseau",
    "Intitulé de la typologie",
    "Code sp+ de la typologie",
    "Intitulé de la structure",
    "Intitulé structure usager",
    "Description de la structure",
    "Identifiant de la structure",
    "Type d'identifiant",
    "Code SP+ structure parent",
    "Adresse",
    "Compléments Adresse",
    "Code postal de la structure",
    "Ville",
    "URL du site internet",
    "Actif",
    "INSEE Ville",
    "INSEE Département",
    "INSEE Région",
]
FS_COLUMNS = [
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "latitude",
    "longitude",
    "telephone",
]
# Organisation.website and ContactPoint.url: a longer URL is dropped, since a cut one is broken.
URL_MAX_LENGTH = 500
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]

_url_validator = URLValidator(schemes=["http", "https"])


class _ContactBase(TypedDict):
    """What every contact point of one organisation shares (see `_CatalogueImport._contact`)."""

    organisation: Organisation
    network: str


def load_catalogue(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    """Load SP+ structures and the France services list; needs the territories loaded first."""
    report = DatasetReport("catalogue")
    with transaction.atomic():
        if not Departement.objects.exists():
            raise ImportAborted("territories are not loaded: run with --only territories first")
        _CatalogueImport(data_dir, report).run()
        indexed = index_organisations()
        report.notes.append(f"search documents rebuilt for {indexed} organisations")
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
    return report


class _CatalogueImport:
    """State shared by the steps of one catalogue import (territory lookups, keys → objects)."""

    def __init__(self, data_dir: Path, report: DatasetReport) -> None:
        self.data_dir = data_dir
        self.report = report
        self.aliases = commune_aliases(data_dir)
        self.communes: dict[str, tuple[str, str, float | None, float | None]] = {
            code: (name, dep, lat, lon)
            for code, name, dep, lat, lon in Commune.objects.values_list(
                "code", "name", "departement_id", "latitude", "longitude"
            )
        }
        self.departements: dict[str, tuple[str, str]] = {
            code: (name, region)
            for code, name, region in Departement.objects.values_list("code", "name", "region_id")
        }
        self.regions = {region for _name, region in self.departements.values()}

    def run(self) -> None:
        # Tables listed in the report in load order.
        self._network_stats = self.report.table("catalogue.network")
        self._type_stats = self.report.table("catalogue.organisationtype")
        sp_rows = self._read_structures()
        networks = self._sync_networks(sp_rows)
        types = self._sync_types(sp_rows)
        sp_orgs = self._sync_sp_organisations(sp_rows, networks, types)
        fs_rows = self._read_france_services()
        matches = self._match_france_services(fs_rows, sp_rows)
        fs_orgs = self._sync_fs_organisations(fs_rows, matches, sp_rows, networks)
        self._sync_tree(sp_rows, sp_orgs, fs_orgs)
        self._sync_contact_points(sp_rows, sp_orgs, fs_rows, matches, fs_orgs, networks)

    # --- reading ---------------------------------------------------------------------

    def _read_structures(self) -> dict[str, tuple[int, dict[str, str]]]:
        """SP+ rows by structure code, with their line numbers; bad rows are reported."""
        stats = self.report.table("catalogue.organisation (SP+)")
        rows: dict[str, tuple[int, dict[str, str]]] = {}
        for line, row in read_csv(
            self.data_dir / SP_STRUCTURES, delimiter=";", required=SP_COLUMNS
        ):
            stats.read += 1
            if "__error__" in row:
                stats.skip(line, row["__error__"])
                continue
            code = row["Code SP+ de la structure"].strip()
            if not code or not row["Intitulé de la structure"].strip():
                stats.skip(line, "missing structure code or name")
                continue
            if not row["Intitulé du réseau"].strip():
                stats.skip(line, "missing network")
                continue
            if code in rows:
                stats.skip(line, f"duplicate structure code {code} (first at line {rows[code][0]})")
                continue
            rows[code] = (line, row)
        self._sp_stats = stats
        return rows

    def _read_france_services(self) -> dict[str, tuple[int, dict[str, str]]]:
        stats = self.report.table("catalogue.organisation (France services list)")
        rows: dict[str, tuple[int, dict[str, str]]] = {}
        for line, row in read_csv(self.data_dir / FRANCE_SERVICES_LIST, required=FS_COLUMNS):
            stats.read += 1
            if "__error__" in row:
                stats.skip(line, row["__error__"])
                continue
            fs_id, name = row["id_fs"].strip(), row["lib_fs"].strip()
            if not fs_id or not name:
                stats.skip(line, "missing id_fs or lib_fs")
                continue
            if fs_id in rows:
                stats.skip(line, f"duplicate id_fs {fs_id}")
                continue
            rows[fs_id] = (line, row)
        self._fs_stats = stats
        return rows

    # --- networks, types, organisations -----------------------------------------------

    def _sync_networks(self, sp_rows: dict[str, tuple[int, dict[str, str]]]) -> dict[str, Network]:
        stats = self._network_stats
        names = sorted({row["Intitulé du réseau"].strip() for _line, row in sp_rows.values()})
        names = sorted({*names, FRANCE_SERVICES_NETWORK})
        stats.read = len(names)
        rows = {slugify(name)[:80]: {"slug": slugify(name)[:80], "name": name} for name in names}
        objects = sync_model(
            Network,
            rows,
            stats=stats,
            existing=Network.objects.all(),
            key_of=lambda o: o.slug,
            compare=["slug", "name"],
        )
        return {name: objects[slugify(name)[:80]] for name in names}

    def _sync_types(self, sp_rows: dict[str, tuple[int, dict[str, str]]]) -> dict[str, int]:
        stats = self._type_stats
        rows: dict[str, Row] = {}
        for _line, row in sp_rows.values():
            code = row["Code sp+ de la typologie"].strip()
            if code and code not in rows:
                rows[code] = {"sp_code": code, "name": row["Intitulé de la typologie"].strip()}
        stats.read = len(rows)
        objects = sync_model(
            OrganisationType,
            rows,
            stats=stats,
            existing=OrganisationType.objects.all(),
            key_of=lambda o: o.sp_code,
            compare=["sp_code", "name"],
        )
        return {code: obj.pk for code, obj in objects.items()}

    def _sync_sp_organisations(
        self,
        sp_rows: dict[str, tuple[int, dict[str, str]]],
        networks: dict[str, Network],
        types: dict[str, int],
    ) -> dict[Key, Organisation]:
        rows: dict[Key, Row] = {}
        bad_urls = 0
        for code, (_line, row) in sp_rows.items():
            commune = self._commune(row["INSEE Ville"].removeprefix("com"))
            departement = _strip_prefix(row["INSEE Département"], "dep")
            if departement not in self.departements:
                departement = self.communes[commune][1] if commune else None
            region = _strip_prefix(row["INSEE Région"], "reg")
            if region not in self.regions:
                region = self.departements[departement][1] if departement else None
            website = normalise_url(row["URL du site internet"])
            bad_urls += bool(row["URL du site internet"].strip()) and not website
            rows[("sp", code)] = {
                "sp_code": code,
                "name": row["Intitulé de la structure"].strip()[:300],
                "public_name": row["Intitulé structure usager"].strip()[:300],
                "network_id": networks[row["Intitulé du réseau"].strip()].pk,
                "type_id": types.get(row["Code sp+ de la typologie"].strip()),
                "identifier": row["Identifiant de la structure"].strip()[:40],
                "identifier_type": row["Type d'identifiant"].strip()[:40],
                "commune_id": commune,
                "departement_id": departement,
                "region_id": region,
                "website": website,
                "is_active": row["Actif"].strip().lower() == "oui",
            }
        if bad_urls:
            self.report.notes.append(
                f"{bad_urls} SP+ website values were not URLs (or too long) and were left out"
            )
        return sync_model(
            Organisation,
            rows,
            stats=self._sp_stats,
            existing=Organisation.objects.filter(sp_code__isnull=False),
            key_of=lambda o: ("sp", o.sp_code),
            compare=ORG_FIELDS,
        )

    def _match_france_services(
        self,
        fs_rows: dict[str, tuple[int, dict[str, str]]],
        sp_rows: dict[str, tuple[int, dict[str, str]]],
    ) -> dict[str, str]:
        """id_fs -> SP+ code of the same France services structure.

        SP+ files the France services id as a 'Matricule' identifier: that match is exact. The
        remaining ones are matched by folded name in the same commune, then by being the only
        unmatched SP+ France services structure of that commune.
        """
        sp_fs = {
            code: row
            for code, (_line, row) in sp_rows.items()
            if row["Intitulé du réseau"].strip() == FRANCE_SERVICES_NETWORK
        }
        by_matricule = {
            row["Identifiant de la structure"].strip(): code
            for code, row in sp_fs.items()
            if row["Type d'identifiant"].strip() == SP_FS_ID_TYPE
        }
        matches: dict[str, str] = {}
        for fs_id in fs_rows:
            if fs_id in by_matricule:
                matches[fs_id] = by_matricule[fs_id]
        taken = set(matches.values())
        by_name: dict[tuple[str, str | None], list[str]] = {}
        by_commune: dict[str | None, list[str]] = {}
        for code, row in sp_fs.items():
            if code in taken:
                continue
            commune = self._commune(row["INSEE Ville"].removeprefix("com"))
            for name in {row["Intitulé de la structure"], row["Intitulé structure usager"]}:
                if name.strip():
                    by_name.setdefault((fold(name), commune), []).append(code)
            by_commune.setdefault(commune, []).append(code)
        for fs_id, (_line, row) in fs_rows.items():
            if fs_id in matches:
                continue
            commune = self._commune(row["insee_com"])
            candidates = [
                c for c in by_name.get((fold(row["lib_fs"]), commune), []) if c not in taken
            ] or [c for c in by_commune.get(commune, []) if c not in taken]
            if commune and len(candidates) == 1:
                matches[fs_id] = candidates[0]
                taken.add(candidates[0])
        self.report.notes.append(
            f"France services list: {len(matches)} of {len(fs_rows)} matched to an SP+ structure "
            f"({len(by_matricule.keys() & fs_rows.keys())} by id); "
            f"{len(fs_rows) - len(matches)} are organisations of their own"
        )
        return matches

    def _sync_fs_organisations(
        self,
        fs_rows: dict[str, tuple[int, dict[str, str]]],
        matches: dict[str, str],
        sp_rows: dict[str, tuple[int, dict[str, str]]],
        networks: dict[str, Network],
    ) -> dict[Key, Organisation]:
        network = networks[FRANCE_SERVICES_NETWORK]
        rows: dict[Key, Row] = {}
        for fs_id, (line, row) in fs_rows.items():
            if fs_id in matches:  # the SP+ organisation stands for it
                continue
            commune = self._commune(row["insee_com"])
            departement: str | None = row["insee_dep"].strip()
            if departement not in self.departements:
                departement = self.communes[commune][1] if commune else None
            if departement is None:
                self._fs_stats.skip(line, f"unknown commune {row['insee_com']!r} and département")
                continue
            rows[("fs", fs_id)] = {
                "sp_code": None,
                "name": row["lib_fs"].strip()[:300],
                "public_name": "",
                "network_id": network.pk,
                "type_id": None,
                "identifier": fs_id,
                "identifier_type": FS_ID_TYPE,
                "commune_id": commune,
                "departement_id": departement,
                "region_id": self.departements[departement][1],
                "website": "",
                "is_active": True,
            }
        objects = sync_model(
            Organisation,
            rows,
            stats=self._fs_stats,
            existing=Organisation.objects.filter(
                sp_code__isnull=True, identifier_type=FS_ID_TYPE, network=network
            ),
            key_of=lambda o: ("fs", o.identifier),
            compare=ORG_FIELDS,
        )
        self._fs_parent = _common_parent(sp_rows, FRANCE_SERVICES_NETWORK)
        return objects

    def _sync_tree(
        self,
        sp_rows: dict[str, tuple[int, dict[str, str]]],
        sp_orgs: dict[Key, Organisation],
        fs_orgs: dict[Key, Organisation],
    ) -> None:
        """Second pass: resolve parents by SP+ code, then materialise each ancestor path."""
        stats = self.report.table("catalogue.organisation (parent and path)")
        parent_of: dict[Key, Key | None] = {}
        for code, (line, row) in sp_rows.items():
            parent = row["Code SP+ structure parent"].strip()
            if parent and ("sp", parent) not in sp_orgs:
                stats.skip(line, f"parent {parent} not found: stored without parent")
                parent = ""
            parent_of[("sp", code)] = ("sp", parent) if parent and parent != code else None
        # France services absent from SP+ hang under the structure that heads the SP+ ones.
        fs_parent = ("sp", self._fs_parent) if ("sp", self._fs_parent) in sp_orgs else None
        for key in fs_orgs:
            parent_of[key] = fs_parent
        objects = {**sp_orgs, **fs_orgs}
        paths: dict[Key, str] = {}

        def path_of(key: Key, seen: frozenset[Key] = frozenset()) -> str:
            if key not in paths:
                parent = parent_of.get(key)
                if parent is None or parent in seen:  # root, or a cycle broken here
                    prefix = "/"
                else:
                    prefix = path_of(parent, seen | {key})
                paths[key] = f"{prefix}{objects[key].pk}/"
            return paths[key]

        changed = []
        for key in parent_of:
            obj = objects[key]
            parent_key = parent_of[key]
            parent_id = objects[parent_key].pk if parent_key is not None else None
            path = path_of(key)
            if obj.parent_id != parent_id or obj.path != path:
                obj.parent_id, obj.path = parent_id, path
                changed.append(obj)
        stats.read = len(parent_of)
        update_rows(Organisation, changed, ["parent_id", "path"])
        created = self._sp_stats.created + self._fs_stats.created
        # Rows created in this run get their tree here: count only the pre-existing ones.
        stats.updated = max(len(changed) - created, 0)
        stats.unchanged = len(parent_of) - len(changed)

    # --- contact points ----------------------------------------------------------------

    def _sync_contact_points(
        self,
        sp_rows: dict[str, tuple[int, dict[str, str]]],
        sp_orgs: dict[Key, Organisation],
        fs_rows: dict[str, tuple[int, dict[str, str]]],
        matches: dict[str, str],
        fs_orgs: dict[Key, Organisation],
        networks: dict[str, Network],
    ) -> None:
        stats = self.report.table("catalogue.contactpoint")
        network_names = {n.pk: n.name for n in networks.values()}
        rows: dict[str, Row] = {}
        matched_sp = set(matches.values())
        org: Organisation | None
        base: _ContactBase
        for code, (_line, row) in sp_rows.items():
            org = sp_orgs[("sp", code)]
            base = {"organisation": org, "network": network_names[org.network_id]}
            if code not in matched_sp:
                # Every structure is a place users can go to or write to: with its street
                # address when SP+ has one, else at its commune (and département). A France
                # services counter found in the ANCT list is described from there (below).
                parts = [row["Adresse"], row["Compléments Adresse"]]
                if org.commune_id is None:  # abroad, or a territory outside the COG: the
                    parts.append(row["Ville"])  # town as SP+ spells it places the counter
                address = ", ".join(part.strip() for part in parts if part.strip())
                rows[f"sp:{code}:guichet"] = self._contact(
                    **base,
                    channel=Channel.COUNTER,
                    name=org.display_name,
                    description=row["Description de la structure"].strip(),
                    address=address,
                    postal_code=normalise_postal_code(row["Code postal de la structure"]),
                    commune=org.commune_id,
                    departement=org.departement_id,
                )
            if org.website:
                rows[f"sp:{code}:en_ligne"] = self._contact(
                    **base,
                    channel=Channel.ONLINE,
                    name=org.display_name,
                    suffix=" — site internet",
                    url=org.website,
                    departement=org.departement_id,
                )
        for fs_id, (_line, row) in fs_rows.items():
            key = ("sp", matches[fs_id]) if fs_id in matches else ("fs", fs_id)
            org = sp_orgs.get(key) or fs_orgs.get(key)
            if org is None:  # skipped above, already reported
                continue
            base = {"organisation": org, "network": network_names[org.network_id]}
            commune = self._commune(row["insee_com"])
            departement: str | None = row["insee_dep"].strip()
            if departement not in self.departements:
                departement = org.departement_id
            address = ", ".join(
                part.strip() for part in (row["adresse"], row["complement_adresse"]) if part.strip()
            )
            phone = row["telephone"].strip()[:30]
            latitude = coordinate(row["latitude"], 90)
            longitude = coordinate(row["longitude"], 180)
            if latitude is None or longitude is None:  # half a position places nothing
                latitude = longitude = None
            rows[f"fs:{fs_id}:guichet"] = self._contact(
                **base,
                channel=Channel.COUNTER,
                name=row["lib_fs"].strip(),
                description=_opening_hours(row),
                address=address,
                postal_code=normalise_postal_code(row["code_postal"]),
                commune=commune,
                departement=departement,
                phone=phone,
                latitude=latitude,
                longitude=longitude,
            )
            if phone:
                rows[f"fs:{fs_id}:telephone"] = self._contact(
                    **base,
                    channel=Channel.PHONE,
                    name=row["lib_fs"].strip(),
                    suffix=" — téléphone",
                    phone=phone,
                    commune=commune,
                    departement=departement,
                )
        for source_key, values in rows.items():
            values["source_key"] = source_key
        stats.read = len(rows)
        sync_model(
            ContactPoint,
            rows,
            stats=stats,
            existing=ContactPoint.objects.filter(
                Q(source_key__startswith="sp:") | Q(source_key__startswith="fs:")
            ),
            key_of=lambda o: o.source_key or "",  # never null here: filtered on a prefix
            compare=CONTACT_FIELDS,
        )

    def _contact(
        self,
        *,
        organisation: Organisation,
        network: str,
        channel: str,
        name: str,
        suffix: str = "",
        description: str = "",
        address: str = "",
        postal_code: str = "",
        commune: str | None = None,
        departement: str | None = None,
        url: str = "",
        phone: str = "",
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> Row:
        commune_name = ""
        if commune in self.communes:
            commune_name, commune_dep, lat, lon = self.communes[commune]
            departement = departement or commune_dep
            if latitude is None and channel == Channel.COUNTER:
                latitude, longitude = lat, lon  # the commune's position stands in
        else:
            commune = None
        dep_name = self.departements[departement][0] if departement in self.departements else ""
        return {
            "organisation_id": organisation.pk,
            "channel": channel,
            "name": f"{name}{suffix}"[:300],
            "description": description,
            "address": address[:400],
            "postal_code": postal_code,
            "commune_id": commune,
            "departement_id": departement if departement in self.departements else None,
            "url": url,
            "phone": phone,
            "latitude": latitude,
            "longitude": longitude,
            "is_active": organisation.is_active,
            "search_text": search_text_for(
                name,
                organisation.display_name,
                network,
                commune_name,
                departement,
                dep_name,
                postal_code,
            ),
        }

    def _commune(self, code: str) -> str | None:
        """Stored commune for an INSEE code, following arrondissements and merged communes."""
        code = self.aliases.get(code.strip(), code.strip())
        return code if code in self.communes else None


def normalise_postal_code(value: str) -> str:
    """'4000' -> '04000' (SP+ lost leading zeros); anything else but 5 digits -> ''."""
    value = value.strip()
    if value.isdigit() and len(value) == 4:
        return "0" + value
    return value if value.isdigit() and len(value) == 5 else ""


def normalise_url(value: str) -> str:
    """A usable http(s) URL or ''. Values cut by the export ('…') keep only their site root;
    one longer than the column is dropped rather than cut into a broken link."""
    value = value.strip()
    if not value:
        return ""
    if "…" in value:
        parts = urlsplit(value.split("…", 1)[0])
        value = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""
    elif "://" not in value:
        value = "https://" + value
    if len(value) > URL_MAX_LENGTH:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def _strip_prefix(value: str, prefix: str) -> str | None:
    value = value.strip()
    return value.removeprefix(prefix) if value.startswith(prefix) else None


APPOINTMENT_NOTE = "Sur rendez-vous possible."


def _opening_hours(row: dict[str, str]) -> str:
    lines = [
        f"{day.capitalize()} : {row[f'h_{day}'].strip()}"
        for day in WEEKDAYS
        if row.get(f"h_{day}", "").strip()
    ]
    if row.get("prise_rdv", "").strip() == "Oui":
        lines.append(APPOINTMENT_NOTE)
    return "\n".join(lines)


@dataclass(frozen=True)
class OpeningHours:
    days: list[tuple[str, str]]  # (day, hours) in week order, open days only
    notes: list[str]  # other lines (appointments…)

    @property
    def by_appointment(self) -> bool:
        return APPOINTMENT_NOTE in self.notes


def read_opening_hours(description: str) -> OpeningHours:
    """The opening hours a France services counter's description holds (`_opening_hours`)."""
    days, notes = [], []
    names = {day.capitalize() for day in WEEKDAYS}
    for line in description.splitlines():
        day, separator, hours = line.partition(" : ")
        if separator and day in names:
            days.append((day, hours.strip()))
        elif line.strip():
            notes.append(line.strip())
    return OpeningHours(days, notes)


def _common_parent(sp_rows: dict[str, tuple[int, dict[str, str]]], network: str) -> str:
    parents = Counter(
        row["Code SP+ structure parent"].strip()
        for _line, row in sp_rows.values()
        if row["Intitulé du réseau"].strip() == network and row["Code SP+ structure parent"]
    )
    return parents.most_common(1)[0][0] if parents else ""
