"""Read-side helpers for pages: bounded queries over published experiences and roll-ups."""

from django.db.models import Prefetch, QuerySet

from ecoute.catalogue.models import ContactPoint

from .models import Answer, ContactPointRatingSummary, Experience


def with_answers(queryset: QuerySet[Experience]) -> QuerySet[Experience]:
    return queryset.select_related("author", "contact_point", "network").prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.filter(hidden_at__isnull=True).select_related(
                "organisation", "author"
            ),
        )
    )


def published_experiences_for_contact_point(contact_point: ContactPoint) -> QuerySet[Experience]:
    return with_answers(Experience.objects.published().filter(contact_point=contact_point))


def latest_published_experiences(limit: int = 6) -> list[Experience]:
    return list(
        with_answers(Experience.objects.published()).order_by("-published_at", "-id")[:limit]
    )


def rating_indicators(contact_point: ContactPoint) -> list[dict[str, object]]:
    """No query when `contact_point` was loaded with select_related("rating_summary")."""
    try:
        summary = contact_point.rating_summary
    except ContactPointRatingSummary.DoesNotExist:
        summary = ContactPointRatingSummary(contact_point=contact_point)
    return summary.indicators()
