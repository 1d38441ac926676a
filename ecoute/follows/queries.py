"""Read helpers: who follows what, and what is new for a digest."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, ContactPoint
from ecoute.catalogue.permissions import organisations_for_agent
from ecoute.experiences.models import Answer, Experience, ExperienceStatus

from .models import Follow, NotificationSettings

DIGEST_MAX_ITEMS = 30  # per kind; the e-mail says how many more there are


def follows_of(user: User) -> QuerySet[Follow]:
    """The account's follows with what the list shows, in one query."""
    return Follow.objects.filter(user=user).select_related(
        "contact_point__commune", "experience__contact_point", "experience__network"
    )


def find_follow(user: User, target: ContactPoint | Experience) -> Follow | None:
    if not user.is_authenticated:
        return None
    field = "contact_point" if isinstance(target, ContactPoint) else "experience"
    return Follow.objects.filter(user=user, **{field: target}).first()


def settings_for(user: User) -> NotificationSettings:
    """The stored preferences, or unsaved defaults."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def _users_choosing(setting: str, value: str) -> QuerySet[User]:
    """Accounts that can receive e-mail and chose `value` for `setting` (no row counts as the
    default)."""
    users = User.objects.filter(is_active=True, email_confirmed_at__isnull=False)
    chose = Q(**{f"notification_settings__{setting}": value})
    default = getattr(NotificationSettings._meta.get_field(setting), "default", None)
    if value == default:
        return users.filter(chose | Q(notification_settings__isnull=True))
    return users.filter(chose)


def users_with_service_frequency(frequency: str) -> QuerySet[User]:
    return _users_choosing("service_frequency", frequency)


def agents_with_alerts(frequency: str) -> QuerySet[User]:
    """Agents (a membership of any organisation) who chose `frequency` for their alerts."""
    return _users_choosing("agent_alerts", frequency).filter(
        pk__in=AgentMembership.objects.values("user_id")
    )


def concerned_agents(experience: Experience) -> QuerySet[User]:
    """The agents an experience concerns: members of its organisation or of one above it (the
    same rule as who may answer it, catalogue.permissions). One query."""
    organisation = experience.organisation or (
        experience.contact_point.organisation if experience.contact_point else None
    )
    if organisation is None:
        return User.objects.none()
    ancestor_ids = {int(part) for part in organisation.path.strip("/").split("/") if part}
    ancestor_ids.add(organisation.pk)
    return User.objects.filter(
        pk__in=AgentMembership.objects.filter(organisation_id__in=ancestor_ids).values("user_id")
    )


@dataclass
class DigestContent:
    experiences: list[Experience]
    answers: list[Answer]
    experience_count: int
    answer_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.experience_count or self.answer_count)


def agent_alert_content(user: User, start: dt.datetime, end: dt.datetime) -> DigestContent:
    """Experiences published in [start, end) on the services of the agent's organisations and
    of every organisation below them (their copied `organisation`, an indexed column)."""
    experiences = Experience.objects.published().filter(
        organisation__in=organisations_for_agent(user),
        published_at__gte=start,
        published_at__lt=end,
    )
    return DigestContent(
        experiences=_latest(experiences),
        answers=[],
        experience_count=experiences.count(),
        answer_count=0,
    )


def _latest(experiences: QuerySet[Experience]) -> list[Experience]:
    """The most recent experiences a digest lists (the e-mail says how many more there are)."""
    return list(
        experiences.select_related("contact_point").order_by("-published_at", "-id")[
            :DIGEST_MAX_ITEMS
        ]
    )


def digest_content(user: User, start: dt.datetime, end: dt.datetime) -> DigestContent:
    """Experiences published and answers given in [start, end) on the followed contact points."""
    followed = Follow.objects.filter(user=user, contact_point__isnull=False).values(
        "contact_point_id"
    )
    experiences = Experience.objects.published().filter(
        contact_point_id__in=followed, published_at__gte=start, published_at__lt=end
    )
    answers = Answer.objects.filter(
        experience__status=ExperienceStatus.PUBLISHED,
        experience__contact_point_id__in=followed,
        created_at__gte=start,
        created_at__lt=end,
    )
    return DigestContent(
        experiences=_latest(experiences),
        answers=list(
            answers.select_related("experience__contact_point", "organisation").order_by(
                "-created_at", "-id"
            )[:DIGEST_MAX_ITEMS]
        ),
        experience_count=experiences.count(),
        answer_count=answers.count(),
    )
