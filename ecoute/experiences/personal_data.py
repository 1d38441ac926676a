"""The experiences app's part of "download my data" and "delete my account"
(registered with accounts.personal_data from ExperiencesConfig.ready)."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .actions import erase_author_contributions
from .models import RATING_FIELDS, Answer, AnswerUseful, Experience, MeToo


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "service": answer.organisation.display_name,
        "body": answer.body,
        "created_at": answer.created_at,
    }


def export_experiences(user: User) -> list[dict[str, Any]]:
    """Every experience the user told, any status, with the answers it received. Three
    queries whatever the number of rows."""
    experiences = (
        Experience.objects.filter(author=user)
        .select_related("contact_point", "network")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("organisation"))
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "id": experience.pk,
            "url": settings.ECOUTE_SITE_URL + experience.get_absolute_url(),
            "contact_point": experience.contact_point.name if experience.contact_point else None,
            "network": experience.network.name,
            "occurred_on": experience.occurred_on,
            "channel": experience.channel,
            "sentiment": experience.sentiment,
            "ratings": {
                name.removeprefix("rating_"): getattr(experience, name) for name in RATING_FIELDS
            },
            "title": experience.title,
            "body": experience.body,
            "status": experience.status,
            "hidden_reason": experience.hidden_reason,
            "created_at": experience.created_at,
            "published_at": experience.published_at,
            "answers_received": [_answer(answer) for answer in experience.answers.all()],
        }
        for experience in experiences
    ]


def export_answers_written(user: User) -> list[dict[str, Any]]:
    """Answers the user published as an agent (signed with the service's name)."""
    answers = Answer.objects.filter(author=user).select_related("organisation")
    return [
        {"experience_id": answer.experience_id, **_answer(answer)}
        for answer in answers.order_by("created_at", "id")
    ]


def export_metoo(user: User) -> list[dict[str, Any]]:
    """The experiences the user said "moi aussi" to. On deletion the rows stay, unlinked
    (user SET_NULL, whichever choice): counts stay equal to the rows, and nobody can tell whose
    they were."""
    rows = MeToo.objects.filter(user=user).select_related("experience").order_by("created_at", "id")
    return [
        {
            "experience_id": row.experience_id,
            "title": row.experience.title,
            "url": settings.ECOUTE_SITE_URL + row.experience.get_absolute_url(),
            "created_at": row.created_at,
        }
        for row in rows
    ]


def export_answers_found_useful(user: User) -> list[dict[str, Any]]:
    """The answers the user found "utile" (same rule on deletion as "moi aussi")."""
    rows = (
        AnswerUseful.objects.filter(user=user)
        .select_related("answer__organisation")
        .order_by("created_at", "id")
    )
    return [
        {
            "experience_id": row.answer.experience_id,
            "service": row.answer.organisation.display_name,
            "created_at": row.created_at,
        }
        for row in rows
    ]


def answers_block_deletion(user: User) -> str | None:
    if Answer.objects.filter(author=user).exists():
        return _(
            "Vous avez publié des réponses au nom d'un service : elles engagent ce service et "
            "restent signées. Demandez la suppression de ce compte à l'administrateur."
        )
    return None


SECTIONS = [
    PersonalDataSection(
        key="experiences", export=export_experiences, erase=erase_author_contributions
    ),
    PersonalDataSection(
        key="answers_written",
        export=export_answers_written,
        deletion_blocker=answers_block_deletion,
    ),
    PersonalDataSection(key="metoo", export=export_metoo),
    PersonalDataSection(key="answers_found_useful", export=export_answers_found_useful),
]
