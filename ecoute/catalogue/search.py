"""Contact point search over the folded `search_text` column (portable across databases)."""

from django.db.models import QuerySet

from ecoute.common.text import fold

from .models import ContactPoint

MAX_TERMS = 8


def search_text_for(*parts: str | None) -> str:
    """The folded text a contact point is found by (name, organisation, network, commune,
    département, postcode): the one definition shared by importers and tests."""
    return fold(" ".join(part for part in parts if part))


def search_contact_points(
    query: str, *, departement: str = "", channel: str = ""
) -> QuerySet[ContactPoint]:
    """Every term must appear (name, organisation, network, commune, département, postcode)."""
    queryset = ContactPoint.objects.active().select_related(
        "organisation__network", "commune", "departement"
    )
    for term in fold(query).split()[:MAX_TERMS]:
        queryset = queryset.filter(search_text__contains=term)
    if departement:
        queryset = queryset.filter(departement_id=departement)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset
