"""What the démarche pages show of the remontées about a démarche (registered with
`demarches.difficulties` from apps.py), under this app's visibility rules (decision 0015):

- everyone: how many published remontées each démarche has, and the public summaries their
  organisations wrote (never the author);
- agents: the published remontées they may read (their networks'; every one for steering)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from ecoute.accounts.models import User
from ecoute.demarches.difficulties import Difficulty, DifficultySource

from .models import PublicSummary, Remontee, Visibility
from .permissions import visible_remontees


def _counts(demarche_ids: list[int]) -> dict[int, int]:
    rows = (
        Remontee.objects.published()
        .filter(demarche_id__in=demarche_ids)
        .values("demarche_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["demarche_id"]: row["n"] for row in rows}


def _visible(demarche_ids: list[int], user: User | AnonymousUser, limit: int) -> list[Difficulty]:
    """Public summaries first (one query), then the remontées this agent may read (one)."""
    found = [
        Difficulty(
            demarche_id=summary.remontee.demarche_id or 0,
            title=summary.title,
            body=summary.body,
            url=summary.get_absolute_url(),
            status=str(summary.remontee.get_status_display()),
            source=summary.remontee.organisation.display_name,
            internal=False,
        )
        for summary in PublicSummary.objects.published()
        .filter(remontee__demarche_id__in=demarche_ids)
        .select_related("remontee__organisation")
        .order_by("-published_at", "-id")[:limit]
    ]
    if user.is_authenticated:
        remontees = (
            visible_remontees(user)
            .filter(visibility=Visibility.PUBLISHED, demarche_id__in=demarche_ids)
            .select_related("organisation")
            .order_by("-created_at", "-id")[:limit]
        )
        found += [
            Difficulty(
                demarche_id=remontee.demarche_id or 0,
                title=remontee.title,
                body="",
                url=remontee.get_absolute_url(),
                status=str(remontee.get_status_display()),
                source=remontee.organisation.display_name,
                internal=True,
            )
            for remontee in remontees
        ]
    return found


SOURCE = DifficultySource(counts=_counts, visible=_visible)
