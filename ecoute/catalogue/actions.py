"""State changes of the catalogue."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from ecoute.territories.importers import update_rows
from ecoute.territories.models import PostalCode

from .models import Channel, ContactPoint, Organisation
from .search import organisation_document

SEARCH_FIELDS = ["search_name", "search_kind", "search_place"]


@transaction.atomic
def index_organisations(*, organisation_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search document of these organisations (all if None); return how many
    changed. Idempotent: an unchanged document is not written."""
    organisations = Organisation.objects.select_related(
        "network", "type", "commune", "departement"
    ).only(
        "name",
        "public_name",
        "network__name",
        "type__name",
        "commune__name",
        "departement__code",
        "departement__name",
        *SEARCH_FIELDS,
    )
    points = ContactPoint.objects.values_list(
        "organisation_id",
        "channel",
        "name",
        "address",
        "commune__name",
        "postal_code",
        "departement_id",
        "departement__name",
    ).order_by("organisation_id", "channel", "id")  # a stable document: re-runs write nothing
    if organisation_ids is not None:
        ids = list(organisation_ids)
        organisations = organisations.filter(pk__in=ids)
        points = points.filter(organisation_id__in=ids)
    places: dict[int, list[str]] = {}
    counter_names: dict[int, list[str]] = {}
    own_postcode: set[int] = set()
    for org_id, channel, name, address, commune_name, postal_code, dep, dep_name in points:
        places.setdefault(org_id, []).extend(
            # without a commune (abroad…), the address names the town
            [commune_name or address, postal_code, dep or "", dep_name or ""]
        )
        if channel == Channel.COUNTER:  # a France services counter may bear its own name
            counter_names.setdefault(org_id, []).append(name)
        if postal_code:
            own_postcode.add(org_id)
    postcodes: dict[str, list[str]] = {}
    communes = None if organisation_ids is None else organisations.values("commune_id")
    postal_codes = PostalCode.objects.all()
    if communes is not None:
        postal_codes = postal_codes.filter(commune_id__in=communes)
    for code, commune in postal_codes.order_by("code").values_list("code", "commune_id"):
        postcodes.setdefault(commune, []).append(code)
    changed = []
    for org in organisations:
        place = [*places.get(org.pk, [])]
        if org.commune is not None:
            place.append(org.commune.name)
            if org.pk not in own_postcode:  # a structure's own postcode is the precise one
                place.extend(postcodes.get(org.commune.code, []))
        if org.departement is not None:
            place.extend([org.departement.code, org.departement.name])
        document = organisation_document(
            names=[org.public_name, org.name, *counter_names.get(org.pk, [])],
            network=org.network.name,
            type_name=org.type.name if org.type else "",
            places=place,
        )
        if (org.search_name, org.search_kind, org.search_place) != (
            document.name,
            document.kind,
            document.place,
        ):
            org.search_name, org.search_kind, org.search_place = (
                document.name,
                document.kind,
                document.place,
            )
            changed.append(org)
    update_rows(Organisation, changed, SEARCH_FIELDS)
    if connection.vendor == "postgresql":
        stale = Organisation.objects.filter(pk__in=[o.pk for o in changed]) | (
            Organisation.objects.filter(search_vector__isnull=True)
        )
        stale.update(
            search_vector=SearchVector("search_name", weight="A", config="simple")
            + SearchVector("search_kind", weight="B", config="simple")
            + SearchVector("search_place", weight="C", config="simple")
        )
    return len(changed)
