"""Who may see and act on experiences."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.permissions import can_answer_for, contact_points_for_agent
from ecoute.moderation.permissions import can_moderate

from .models import Experience, ExperienceStatus


def can_view_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Published: everyone. Pending or hidden: its author and moderators only."""
    if experience.status == ExperienceStatus.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    return experience.author_id == user.pk or can_moderate(user)


def can_answer_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    return (
        experience.status == ExperienceStatus.PUBLISHED
        and experience.contact_point is not None
        and can_answer_for(user, experience.contact_point)
    )


def experiences_for_agent(user: User) -> QuerySet[Experience]:
    return Experience.objects.published().filter(contact_point__in=contact_points_for_agent(user))
