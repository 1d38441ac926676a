"""The debates' part of "download my data" and "delete my account": the account's
contributions, arguments, sources, votes and supports."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .actions import erase_debate_contributions
from .models import Argument, ArgumentVote, Contribution, Source, Vote


def export_debates(user: User) -> dict[str, Any]:
    site = settings.ECOUTE_SITE_URL
    contributions = Contribution.objects.filter(author=user).select_related("section__consultation")
    arguments = Argument.objects.filter(author=user).select_related(
        "contribution__section__consultation"
    )
    sources = Source.objects.filter(author=user).select_related(
        "contribution__section__consultation"
    )
    return {
        "contributions": [
            {
                "url": site + c.get_absolute_url(),
                "title": c.title,
                "body": c.body,
                "moderation": c.visibility,
                "created_at": c.created_at,
                "edited_at": c.edited_at,
            }
            for c in contributions.order_by("created_at", "id")
        ],
        "arguments": [
            {
                "url": site + a.get_absolute_url(),
                "side": a.side,
                "body": a.body,
                "moderation": a.visibility,
                "created_at": a.created_at,
            }
            for a in arguments.order_by("created_at", "id")
        ],
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "description": s.description,
                "created_at": s.created_at,
            }
            for s in sources.order_by("created_at", "id")
        ],
        "votes": [
            {"contribution": vote.contribution_id, "value": vote.value, "at": vote.updated_at}
            for vote in Vote.objects.filter(user=user).order_by("created_at", "id")
        ],
        "argument_supports": [
            {"argument": support.argument_id, "at": support.created_at}
            for support in ArgumentVote.objects.filter(user=user).order_by("created_at", "id")
        ],
    }


SECTION = PersonalDataSection(key="debats", export=export_debates, erase=erase_debate_contributions)
