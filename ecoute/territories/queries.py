"""Read helpers for territories."""

from django.db.models import QuerySet

from ecoute.common.text import fold

from .models import Commune

MAX_COMMUNES = 10


def communes_for_place(text: str) -> QuerySet[Commune]:
    """Communes a user means by a postcode ('01000') or a name ('saint etienne'), most
    populated first: exact folded name, else names starting with it. At most 10."""
    text = text.strip()
    queryset = Commune.objects.select_related("departement").order_by("-population", "name", "code")
    if text.isdigit():
        if len(text) != 5:
            return queryset.none()
        return queryset.filter(postal_codes__code=text).distinct()[:MAX_COMMUNES]
    name = fold(text)
    if not name:
        return queryset.none()
    exact = queryset.filter(search_name=name)
    if exact.exists():
        return exact[:MAX_COMMUNES]
    return queryset.filter(search_name__startswith=name)[:MAX_COMMUNES]
