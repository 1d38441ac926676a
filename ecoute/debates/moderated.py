"""Contributions, arguments and sources under the moderation contract (decision 0012),
registered from apps.py: published at once, reported, queued, hidden with a public reason
(the trash), masks edited by moderators."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ecoute.moderation import contributions
from ecoute.moderation.registry import Facts, Moderated, register_moderated
from ecoute.moderation.reporting import Reportable, register_reportable

from . import actions
from .models import Argument, Contribution, Source, Visibility


def contribution_facts(contribution: Contribution) -> Facts:
    return Facts(
        state=contributions.state_of(contribution),
        created_at=contribution.created_at,
        title=contribution.title,
        imported=contribution.is_imported,
        published_at=contribution.published_at,
        reason=contribution.hidden_reason,
    )


def argument_title(argument: Argument) -> str:
    return str(
        _("Argument %(side)s sur « %(title)s »")
        % {"side": argument.get_side_display().lower(), "title": argument.contribution.title}
    )


def argument_facts(argument: Argument) -> Facts:
    return Facts(
        state=contributions.state_of(argument),
        created_at=argument.created_at,
        title=argument_title(argument),
        imported=argument.is_imported,
        published_at=argument.published_at,
        reason=argument.hidden_reason,
    )


def source_facts(source: Source) -> Facts:
    return Facts(
        state=contributions.state_of(source),
        created_at=source.created_at,
        title=source.title,
        published_at=source.published_at,
        reason=source.hidden_reason,
    )


def _visible(_user: Any, row: Contribution | Argument | Source) -> bool:
    if row.visibility != Visibility.PUBLISHED:
        return False
    if isinstance(row, Contribution):
        return True
    return row.contribution.visibility == Visibility.PUBLISHED


def register() -> None:
    contributions_qs = lambda: Contribution.objects.select_related(  # noqa: E731
        "section__consultation"
    )
    arguments_qs = lambda: Argument.objects.select_related(  # noqa: E731
        "contribution__section__consultation"
    )
    sources_qs = lambda: Source.objects.select_related(  # noqa: E731
        "contribution__section__consultation"
    )
    register_moderated(
        Moderated(
            key="contribution-debat",
            model=Contribution,
            label=_("contribution à un débat"),
            label_plural=_("contributions aux débats"),
            queryset=contributions_qs,
            facts=contribution_facts,
            excerpt=lambda contribution: contribution.body,
            url=lambda contribution: contribution.get_absolute_url(),
            on_publish=contributions.on_publish,
            on_hide=contributions.on_hide,
            texts=lambda contribution: {"title": contribution.title, "body": contribution.body},
            on_edit_text=contributions.on_edit_text,
        )
    )
    register_moderated(
        Moderated(
            key="argument-debat",
            model=Argument,
            label=_("argument d'un débat"),
            label_plural=_("arguments des débats"),
            queryset=arguments_qs,
            facts=argument_facts,
            excerpt=lambda argument: argument.body,
            url=lambda argument: argument.get_absolute_url(),
            on_publish=actions.on_publish_child,
            on_hide=actions.on_hide_child,
            texts=lambda argument: {"body": argument.body},
            on_edit_text=contributions.on_edit_text,
        )
    )
    register_moderated(
        Moderated(
            key="source-debat",
            model=Source,
            label=_("source d'un débat"),
            label_plural=_("sources des débats"),
            queryset=sources_qs,
            facts=source_facts,
            excerpt=lambda source: f"{source.url}\n{source.description}",
            url=lambda source: source.get_absolute_url(),
            on_publish=actions.on_publish_child,
            on_hide=actions.on_hide_child,
            texts=lambda source: {"title": source.title, "description": source.description},
            on_edit_text=contributions.on_edit_text,
        )
    )
    for key, model, label, queryset, describe in (
        (
            "contribution-debat",
            Contribution,
            _("contribution à un débat"),
            contributions_qs,
            lambda row: row.title,
        ),
        ("argument-debat", Argument, _("argument d'un débat"), arguments_qs, argument_title),
        ("source-debat", Source, _("source d'un débat"), sources_qs, lambda row: row.title),
    ):
        register_reportable(
            Reportable(
                key=key,
                model=model,
                label=label,
                queryset=queryset,
                is_visible=_visible,
                url=lambda row: row.get_absolute_url(),
                describe=describe,
            )
        )
