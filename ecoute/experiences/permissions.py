"""Who may see and act on experiences."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, Organisation
from ecoute.catalogue.permissions import (
    contact_points_for_agent,
    get_acting_organisation,
    get_network_head_organisation,
    head_network_ids_for_agent,
)
from ecoute.moderation.permissions import can_moderate

from .handling import base_organisation
from .models import Answer, Experience, ExperienceStatus


def can_view_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Published: everyone. Pending or hidden: its author and moderators only."""
    if experience.status == ExperienceStatus.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    return experience.author_id == user.pk or can_moderate(user)


def can_tell_experience(user: User | AnonymousUser) -> bool:
    """Only a signed-in account whose e-mail address is confirmed may tell an experience."""
    return isinstance(user, User) and user.has_confirmed_email


def can_edit_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Its author, while pending or published (editing sends it back to moderation). Not once
    hidden: editing must not bring back what a moderator hid. Nobody else, moderators included:
    they publish or hide, they do not rewrite."""
    return (
        user.is_authenticated
        and experience.author_id == user.pk
        and experience.status in (ExperienceStatus.PENDING, ExperienceStatus.PUBLISHED)
    )


def can_withdraw_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Its author, whatever the status (a hidden one too: it is their text)."""
    return user.is_authenticated and experience.author_id == user.pk


def experiences_by_author(user: User) -> QuerySet[Experience]:
    """An author's own experiences, every status ("Mes contributions")."""
    return Experience.objects.filter(author=user)


def can_publish_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Moderators publish what is not published yet (pending, or hidden by mistake)."""
    return experience.status != ExperienceStatus.PUBLISHED and can_moderate(user)


def can_hide_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    """Moderators hide what is not hidden yet, including an already published experience."""
    return experience.status != ExperienceStatus.HIDDEN and can_moderate(user)


def answering_organisation(
    user: User | AnonymousUser, experience: Experience
) -> Organisation | None:
    """Who may answer: an agent of the organisation that handles it or of one above it (the
    chain of handling.base_organisation: the contact point's organisation until the experience
    is routed elsewhere); for an experience naming only a network and handled by nobody yet, an
    agent of that network's head organisation. The closest organisation signs."""
    if experience.status != ExperienceStatus.PUBLISHED:
        return None
    base = base_organisation(experience)
    if base is not None:
        return get_acting_organisation(user, base)
    return get_network_head_organisation(user, experience.network_id)


def can_answer_experience(user: User | AnonymousUser, experience: Experience) -> bool:
    return answering_organisation(user, experience) is not None


def experiences_for_agent(user: User) -> QuerySet[Experience]:
    """Published experiences about the agent's services, by contact point (the agents' inbox
    reads its own entries instead: ecoute/inbox)."""
    return Experience.objects.published().filter(
        Q(contact_point__in=contact_points_for_agent(user))
        | Q(contact_point__isnull=True, network_id__in=head_network_ids_for_agent(user))
    )


def can_say_metoo(user: User | AnonymousUser, experience: Experience) -> bool:
    """ "Moi aussi" on a published experience: any account with a confirmed e-mail (the rule
    for telling, so counts cannot be inflated with throw-away accounts), except its author:
    one's own story is not a second voice."""
    return (
        experience.status == ExperienceStatus.PUBLISHED
        and can_tell_experience(user)
        and experience.author_id != user.pk
    )


def can_mark_answer_useful(
    user: User | AnonymousUser, answer: Answer, experience: Experience
) -> bool:
    """ "Utile" on an answer to a published experience: any confirmed account but the agent
    who wrote it (the experience's author may, and is the one whose opinion matters most)."""
    return (
        experience.status == ExperienceStatus.PUBLISHED
        and can_tell_experience(user)
        and answer.author_id != user.pk
    )


def answer_editor_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """The organisations whose answers `user` may edit: those they are a member of (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(AgentMembership.objects.filter(user=user).values_list("organisation_id", flat=True))


def can_edit_answer(
    user: User | AnonymousUser,
    answer: Answer,
    experience: Experience,
    *,
    editor_organisation_ids: set[int] | None = None,
) -> bool:
    """An answer speaks for the service that signs it, not for the agent who typed it: any
    current member of the signing organisation may edit it (its author, or a colleague when
    the author is away or has left); an agent who has left the organisation may not, nor an
    agent of an organisation above or beside it, nor moderators (they hide, they do not
    rewrite). Not once hidden (editing must not undo a moderator's decision) nor while the
    experience is not published. Pass `editor_organisation_ids` (from
    answer_editor_organisation_ids) to check several answers with one query."""
    if answer.hidden_at is not None or experience.status != ExperienceStatus.PUBLISHED:
        return False
    if editor_organisation_ids is None:
        editor_organisation_ids = answer_editor_organisation_ids(user)
    return answer.organisation_id in editor_organisation_ids


def can_view_answer_history(answer: Answer, experience: Experience) -> bool:
    """The versions of an answer are public as long as the answer is: shown, on a published
    experience. Each version is stored masked, as it was published."""
    return answer.hidden_at is None and experience.status == ExperienceStatus.PUBLISHED
