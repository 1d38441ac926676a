"""Experiences and answers under moderation: what moderation's queue, actions, trash and
report form need (registered in apps.py; moderation imports no content app)."""

from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Network
from ecoute.moderation.models import ModerationState
from ecoute.moderation.registry import Facts, Moderated, register_choices, register_moderated
from ecoute.moderation.reporting import Reportable, register_reportable

from . import actions
from .models import Answer, Experience, ExperienceOrigin, ExperienceStatus
from .permissions import can_view_experience

STATES = {
    ExperienceStatus.PENDING: ModerationState.PENDING,
    ExperienceStatus.PUBLISHED: ModerationState.PUBLISHED,
    ExperienceStatus.HIDDEN: ModerationState.HIDDEN,
}


def experience_facts(experience: Experience) -> Facts:
    # The département is copied on publication; before it, the contact point's.
    point = experience.contact_point
    departement = experience.departement_id or (point.departement_id if point else None)
    return Facts(
        state=STATES[ExperienceStatus(experience.status)],
        created_at=experience.created_at,
        title=experience.title,
        network_id=experience.network_id,
        departement=departement or "",
        imported=experience.origin == ExperienceOrigin.IMPORTED,
        published_at=experience.published_at,
        reason=experience.hidden_reason,
    )


def answer_title(answer: Answer) -> str:
    return str(
        _("Réponse de %(service)s à « %(title)s »")
        % {"service": answer.organisation.display_name, "title": answer.experience.title}
    )


def answer_facts(answer: Answer) -> Facts:
    experience = answer.experience
    hidden = answer.hidden_at is not None
    return Facts(
        state=ModerationState.HIDDEN if hidden else ModerationState.PUBLISHED,
        created_at=answer.created_at,
        title=answer_title(answer),
        network_id=experience.network_id,
        departement=experience.departement_id or "",
        published_at=answer.created_at,
        reason=answer.hidden_reason,
    )


def register() -> None:
    register_choices("network", lambda: list(Network.objects.values_list("id", "name")))
    register_moderated(
        Moderated(
            key="experience",
            model=Experience,
            label=_("expérience"),
            label_plural=_("expériences"),
            queryset=lambda: Experience.objects.select_related(
                "author", "contact_point", "network"
            ),
            facts=experience_facts,
            excerpt=lambda experience: experience.body,
            url=lambda experience: experience.get_absolute_url(),
            on_publish=actions.on_publish,
            on_hide=actions.on_hide,
            texts=lambda experience: {"title": experience.title, "body": experience.body},
            on_edit_text=actions.on_edit_text,
        )
    )
    register_moderated(
        Moderated(
            key="reponse",
            model=Answer,
            label=_("réponse"),
            label_plural=_("réponses"),
            queryset=lambda: Answer.objects.select_related("experience", "organisation"),
            facts=answer_facts,
            excerpt=lambda answer: answer.body,
            url=lambda answer: f"{answer.experience.get_absolute_url()}#answer-{answer.pk}",
            on_publish=actions.on_publish_answer,
            on_hide=actions.on_hide_answer,
        )
    )
    register_reportable(
        Reportable(
            key="experience",
            model=Experience,
            label=_("expérience"),
            queryset=lambda: Experience.objects.select_related("contact_point", "network"),
            is_visible=can_view_experience,
            url=lambda experience: experience.get_absolute_url(),
            describe=lambda experience: experience.title,
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
            describe=answer_title,
        )
    )
