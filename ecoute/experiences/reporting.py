"""Experiences and answers can be reported: what moderation's report pages and actions need
(registered in apps.py; moderation imports no content app)."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ecoute.moderation.reporting import Reportable, register_reportable

from . import actions
from .models import Answer, Experience, ExperienceStatus
from .permissions import can_view_experience


def register() -> None:
    register_reportable(
        Reportable(
            key="experience",
            model=Experience,
            label=_("expérience"),
            queryset=lambda: Experience.objects.select_related("contact_point", "network"),
            is_visible=can_view_experience,
            url=lambda experience: experience.get_absolute_url(),
            describe=lambda experience: experience.title,
            excerpt=lambda experience: Truncator(experience.body).words(40),
            is_hidden=lambda experience: experience.status == ExperienceStatus.HIDDEN,
            hide=lambda *, actor, target, reason: actions.hide_experience(
                actor=actor, experience=target, reason=reason
            ),
        )
    )
    register_reportable(
        Reportable(
            key="reponse",
            model=Answer,
            label=_("réponse"),
            queryset=lambda: Answer.objects.select_related("experience", "organisation"),
            is_visible=lambda user, answer: (
                answer.hidden_at is None and can_view_experience(user, answer.experience)
            ),
            url=lambda answer: f"{answer.experience.get_absolute_url()}#answer-{answer.pk}",
            describe=lambda answer: str(
                _("Réponse de %(service)s à « %(title)s »")
                % {"service": answer.organisation.display_name, "title": answer.experience.title}
            ),
            excerpt=lambda answer: Truncator(answer.body).words(40),
            is_hidden=lambda answer: answer.hidden_at is not None,
            hide=lambda *, actor, target, reason: actions.hide_answer(
                actor=actor, answer=target, reason=reason
            ),
        )
    )
