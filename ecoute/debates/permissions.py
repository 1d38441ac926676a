"""Who may read and write in a consultation's debates. Every write asks
`consultations.permissions.participation_refusal` first (open phase, signed in, confirmed
address, audience), then the section's own rules."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.consultations.models import Consultation
from ecoute.consultations.permissions import (
    can_manage_consultations,
    participation_refusal,
    visible_consultations,
)
from ecoute.moderation.permissions import can_moderate

from .models import Argument, Contribution, Contributors, Section, Visibility


def get_consultation_for_user(user: User | AnonymousUser, slug: str) -> Consultation | None:
    return visible_consultations(user).filter(slug=slug).first()


def can_manage_debates(user: User | AnonymousUser) -> bool:
    """Organisers: sections, pins and official answers (in the admin)."""
    return can_manage_consultations(user)


def can_see_contribution(user: User | AnonymousUser, contribution: Contribution) -> bool:
    if contribution.visibility == Visibility.PUBLISHED:
        return True
    return can_moderate(user) or (user.is_authenticated and contribution.author_id == user.pk)


def contribution_refusal(user: User | AnonymousUser, section: Section) -> str | None:
    """Why `user` may not propose in `section` (None: they may)."""
    refusal = participation_refusal(user, section.consultation)
    if refusal:
        return refusal
    if section.contributors == Contributors.ORGANISERS and not can_manage_debates(user):
        return _("Seul l'organisateur contribue à cette section.")
    return None


def vote_refusal(user: User | AnonymousUser, contribution: Contribution) -> str | None:
    section = contribution.section
    if not section.votes_allowed:
        return _("Cette section n'est pas ouverte aux votes.")
    if contribution.visibility != Visibility.PUBLISHED:
        return _("Cette contribution n'est pas publiée.")
    return participation_refusal(user, section.consultation)


def argument_refusal(user: User | AnonymousUser, contribution: Contribution) -> str | None:
    """Arguments, their supports and sources follow the section's "arguments" setting."""
    section = contribution.section
    if not section.arguments_allowed:
        return _("Cette section n'est pas ouverte aux arguments.")
    if contribution.visibility != Visibility.PUBLISHED:
        return _("Cette contribution n'est pas publiée.")
    return participation_refusal(user, section.consultation)


def source_refusal(user: User | AnonymousUser, contribution: Contribution) -> str | None:
    if contribution.visibility != Visibility.PUBLISHED:
        return _("Cette contribution n'est pas publiée.")
    return participation_refusal(user, contribution.section.consultation)


def edit_refusal(user: User | AnonymousUser, contribution: Contribution) -> str | None:
    """Authors edit their own contribution while the participation is open."""
    refusal = participation_refusal(user, contribution.section.consultation)
    if refusal:
        return refusal
    if contribution.author_id != user.pk:
        return _("Seul l'auteur ou l'autrice peut modifier sa contribution.")
    if contribution.visibility == Visibility.HIDDEN:
        return _("Cette contribution a été masquée par la modération.")
    return None


def support_refusal(user: User | AnonymousUser, argument: Argument) -> str | None:
    if argument.visibility != Visibility.PUBLISHED:
        return _("Cet argument n'est pas publié.")
    return argument_refusal(user, argument.contribution)
