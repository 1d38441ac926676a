"""Remontées and their public summaries under the moderation contract (decision 0012):
what moderation's queue, actions, trash and masks need, registered from apps.py."""

from django.utils.translation import gettext_lazy as _

from ecoute.moderation import contributions
from ecoute.moderation.registry import Facts, Moderated, register_moderated

from .models import PublicSummary, Remontee


def remontee_facts(remontee: Remontee) -> Facts:
    return Facts(
        state=contributions.state_of(remontee),
        created_at=remontee.created_at,
        title=remontee.title,
        network_id=remontee.network_id,
        departement=remontee.organisation.departement_id or "",
        imported=False,
        published_at=remontee.published_at,
        reason=remontee.hidden_reason,
    )


def summary_facts(summary: PublicSummary) -> Facts:
    return Facts(
        state=contributions.state_of(summary),
        created_at=summary.updated_at,
        title=summary.title,
        network_id=summary.network_id,
        departement=summary.remontee.organisation.departement_id or "",
        published_at=summary.published_at,
        reason=summary.hidden_reason,
    )


def _remontee_texts(remontee: Remontee) -> dict[str, str]:
    texts = {"title": remontee.title, "description": remontee.description}
    if remontee.demarche_name:
        texts["demarche_name"] = remontee.demarche_name
    return texts


def register() -> None:
    register_moderated(
        Moderated(
            key="remontee",
            model=Remontee,
            label=_("remontée d'agent"),
            label_plural=_("remontées d'agents"),
            queryset=lambda: Remontee.objects.select_related("organisation", "network"),
            facts=remontee_facts,
            excerpt=lambda remontee: remontee.description,
            url=lambda remontee: remontee.get_absolute_url(),
            on_publish=contributions.on_publish,
            on_hide=contributions.on_hide,
            texts=_remontee_texts,
            on_edit_text=contributions.on_edit_text,
            # Agents' internal text: hidden, its title stays out of the public trash.
            public_trash=False,
        )
    )
    register_moderated(
        Moderated(
            key="synthese-remontee",
            model=PublicSummary,
            label=_("synthèse publique de remontée"),
            label_plural=_("synthèses publiques de remontées"),
            queryset=lambda: PublicSummary.objects.select_related("remontee__organisation"),
            facts=summary_facts,
            excerpt=lambda summary: summary.body,
            url=lambda summary: f"{summary.remontee.get_absolute_url()}#synthese",
            on_publish=contributions.on_publish,
            on_hide=contributions.on_hide,
            texts=lambda summary: {"title": summary.title, "body": summary.body},
            on_edit_text=contributions.on_edit_text,
        )
    )
