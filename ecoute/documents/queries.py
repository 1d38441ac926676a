"""Read-side helpers: each list is one query for its rows, whatever their number."""

from django.db.models import QuerySet

from .models import Document


def for_lists(queryset: QuerySet[Document]) -> QuerySet[Document]:
    """What a document card shows: its service, its author's pseudonym, who answered."""
    return queryset.select_related(
        "organisation", "contact_point", "author", "answering_organisation"
    )
