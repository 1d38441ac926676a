"""Feedback comments and proposals under the moderation contract (decision 0012), registered
from apps.py: queue, masks, trash and journal come with it."""

from django.utils.translation import gettext_lazy as _

from ecoute.moderation import contributions
from ecoute.moderation.registry import Facts, Moderated, register_moderated
from ecoute.moderation.reporting import Reportable, register_reportable

from .models import FeedbackComment, Proposal, Visibility


def comment_facts(comment: FeedbackComment) -> Facts:
    return Facts(
        state=contributions.state_of(comment),
        created_at=comment.created_at,
        title=comment.demarche.name,
        network_id=comment.demarche.network_id,
        published_at=comment.published_at,
        reason=comment.hidden_reason,
    )


def proposal_facts(proposal: Proposal) -> Facts:
    return Facts(
        state=contributions.state_of(proposal),
        created_at=proposal.created_at,
        title=proposal.name,
        published_at=proposal.published_at,
        reason=proposal.hidden_reason,
    )


def register() -> None:
    register_moderated(
        Moderated(
            key="avis-demarche",
            model=FeedbackComment,
            label=_("avis sur une démarche en ligne"),
            label_plural=_("avis sur les démarches en ligne"),
            queryset=lambda: FeedbackComment.objects.select_related("demarche"),
            facts=comment_facts,
            excerpt=lambda comment: comment.text,
            url=lambda comment: comment.get_absolute_url(),
            on_publish=contributions.on_publish,
            on_hide=contributions.on_hide,
            texts=lambda comment: {"text": comment.text},
            on_edit_text=contributions.on_edit_text,
        )
    )
    register_moderated(
        Moderated(
            key="proposition-demarche",
            model=Proposal,
            label=_("proposition de démarche à suivre"),
            label_plural=_("propositions de démarches à suivre"),
            queryset=lambda: Proposal.objects.all(),
            facts=proposal_facts,
            excerpt=lambda proposal: proposal.reason,
            url=lambda proposal: proposal.get_absolute_url(),
            on_publish=contributions.on_publish,
            on_hide=contributions.on_hide,
            texts=lambda proposal: {"name": proposal.name, "reason": proposal.reason},
            on_edit_text=contributions.on_edit_text,
        )
    )
    # A published comment can be reported by a signed-in visitor (the moderation report flow).
    register_reportable(
        Reportable(
            key="avis-demarche",
            model=FeedbackComment,
            label=_("avis sur une démarche en ligne"),
            queryset=lambda: FeedbackComment.objects.select_related("demarche"),
            is_visible=lambda user, comment: comment.visibility == Visibility.PUBLISHED,
            url=lambda comment: comment.get_absolute_url(),
            describe=lambda comment: comment.demarche.name,
        )
    )
