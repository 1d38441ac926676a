"""Every state change of follows and notification preferences, and the digest deliveries."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint
from ecoute.experiences.models import Experience, ExperienceStatus

from . import emails
from .models import (
    AgentAlertFrequency,
    AgentAlertState,
    DigestDelivery,
    DigestFrequency,
    DigestScope,
    Follow,
    Frequency,
    NotificationSettings,
)
from .permissions import can_follow, can_receive_notifications
from .queries import (
    DigestContent,
    agent_alert_content,
    agents_with_alerts,
    concerned_agents,
    digest_content,
    settings_for,
)
from .tokens import Scope

# "Since the last digest", but never further back than this (e.g. after months without any).
DIGEST_MAX_LOOKBACK = dt.timedelta(days=31)
# Immediate agent alerts: "since the last alert", at most this far back (a preference turned
# back to "immediate" after months does not resend the past).
ALERT_MAX_LOOKBACK = dt.timedelta(days=1)


def _target_field(target: ContactPoint | Experience) -> str:
    return "contact_point" if isinstance(target, ContactPoint) else "experience"


@transaction.atomic
def follow_target(*, user: User, target: ContactPoint | Experience) -> Follow:
    """Follow a contact point or an experience. Idempotent: following twice (two tabs, two
    simultaneous clicks) keeps one row, guaranteed by a unique constraint."""
    if not can_follow(user, target):
        raise PermissionDenied(_("Vous ne pouvez pas suivre ce contenu."))
    field = _target_field(target)
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, **{field: target})
    except IntegrityError:
        return Follow.objects.get(user=user, **{field: target})


@transaction.atomic
def unfollow_target(*, user: User, target: ContactPoint | Experience) -> bool:
    """Stop following; True when a follow was removed (idempotent)."""
    deleted, _details = Follow.objects.filter(user=user, **{_target_field(target): target}).delete()
    return bool(deleted)


@transaction.atomic
def update_notification_settings(
    *,
    user: User,
    experience_emails: bool,
    service_frequency: str,
    agent_alerts: str | None = None,
) -> NotificationSettings:
    """Save the account's e-mail choices; `agent_alerts` None keeps the current one."""
    if service_frequency not in Frequency.values:
        raise ValidationError(_("Fréquence inconnue."), code="frequency")
    if agent_alerts is not None and agent_alerts not in AgentAlertFrequency.values:
        raise ValidationError(_("Fréquence inconnue."), code="frequency")
    defaults: dict[str, object] = {
        "experience_emails": experience_emails,
        "service_frequency": service_frequency,
    }
    if agent_alerts is not None:
        defaults["agent_alerts"] = agent_alerts
    settings, _created = NotificationSettings.objects.update_or_create(user=user, defaults=defaults)
    return settings


def unsubscribe(*, user: User, scope: Scope) -> NotificationSettings:
    """One-click unsubscribe: stop the kind of e-mail the link was sent with (follows stay)."""
    current = settings_for(user)
    return update_notification_settings(
        user=user,
        experience_emails=current.experience_emails and scope != Scope.EXPERIENCES,
        service_frequency=(
            Frequency.NONE if scope == Scope.SERVICES else current.service_frequency
        ),
        agent_alerts=AgentAlertFrequency.NONE if scope == Scope.AGENT_ALERTS else None,
    )


# Immediate e-mails ------------------------------------------------------------------------

EVENT_SUBJECTS = {
    "published": gettext_lazy("Nouvelle expérience publiée sur Écoute"),
    "answered": gettext_lazy("Nouvelle réponse d'un service sur Écoute"),
}


def event_messages(*, experience: Experience, event: str) -> list[EmailMessage]:
    """The e-mails an event on `experience` sends: to the followers of the experience who want
    them, and to the followers of its contact point who chose "à chaque nouveauté".

    The author is left out: experiences already e-mails them about their own experience.
    """
    if event not in EVENT_SUBJECTS or experience.status != ExperienceStatus.PUBLISHED:
        return []
    follows = Follow.objects.filter(experience=experience)
    if experience.contact_point_id:
        follows = follows | Follow.objects.filter(contact_point_id=experience.contact_point_id)
    recipients: dict[int, tuple[User, Scope]] = {}
    for follow in follows.select_related("user__notification_settings").order_by("id"):
        user = follow.user
        if user.pk == experience.author_id or not can_receive_notifications(user):
            continue
        preferences = getattr(user, "notification_settings", None) or NotificationSettings()
        if follow.experience_id and preferences.experience_emails:
            recipients[user.pk] = (user, Scope.EXPERIENCES)  # wins over the service follow
        elif follow.contact_point_id and preferences.service_frequency == Frequency.IMMEDIATE:
            recipients.setdefault(user.pk, (user, Scope.SERVICES))
    # Followers did not trigger the event: they get the site's language, not the actor's.
    with translation.override(settings.LANGUAGE_CODE):
        return [
            emails.build_message(
                user=user,
                scope=scope,
                subject=str(EVENT_SUBJECTS[event]),
                template=f"follows/email/{event}.txt",
                context={"experience": experience, "followed_service": scope == Scope.SERVICES},
            )
            for user, scope in recipients.values()
        ]


def notify_followers(*, experience_id: int, event: str) -> int:
    """Send the e-mails of an event; returns how many were sent."""
    experience = Experience.objects.select_related("contact_point").filter(pk=experience_id).first()
    if experience is None:
        return 0
    messages = event_messages(experience=experience, event=event)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


# Digests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    frequency: DigestFrequency
    start_date: dt.date
    start: dt.datetime
    end: dt.datetime


def digest_period(*, frequency: str, today: dt.date) -> Period:
    """The last complete period before `today`: yesterday, or last week (Monday to Sunday),
    in local time."""
    if frequency == DigestFrequency.DAILY:
        start_date = today - dt.timedelta(days=1)
        end_date = today
    elif frequency == DigestFrequency.WEEKLY:
        end_date = today - dt.timedelta(days=today.weekday())
        start_date = end_date - dt.timedelta(days=7)
    else:
        raise ValidationError(_("Fréquence de résumé inconnue."), code="frequency")
    zone = timezone.get_current_timezone()
    return Period(
        frequency=DigestFrequency(frequency),
        start_date=start_date,
        start=dt.datetime.combine(start_date, dt.time(), tzinfo=zone),
        end=dt.datetime.combine(end_date, dt.time(), tzinfo=zone),
    )


DIGEST_KINDS = {
    DigestScope.SERVICES: (Scope.SERVICES, "follows/email/digest.txt"),
    DigestScope.AGENT_ALERTS: (Scope.AGENT_ALERTS, "follows/email/agent_alert.txt"),
}


def deliver_digest(
    *, user: User, period: Period, scope: str = DigestScope.SERVICES
) -> DigestDelivery | None:
    """Record the digest of `user` for `period` and send it (after commit) when it has news.

    `scope`: the followed services (the default) or, for agents, their organisations' new
    experiences. Idempotent: a second call for the same account, scope and period (a rerun of
    the command, two workers at once) finds the unique row taken and sends nothing. Returns the
    new delivery, or None when the period was already delivered.
    """
    kind = DigestScope(scope)
    with transaction.atomic():
        deliveries = DigestDelivery.objects.filter(user=user, scope=kind)
        if deliveries.filter(frequency=period.frequency, period_start=period.start_date).exists():
            return None
        last = deliveries.order_by("-window_end").first()
        # Since the last digest (runs missed, frequency changed), bounded, never overlapping:
        # a window already covered (last digest ends after this period) is empty.
        start = last.window_end if last else period.start
        start = min(max(start, period.end - DIGEST_MAX_LOOKBACK), period.end)
        if kind == DigestScope.AGENT_ALERTS:
            content = agent_alert_content(user, start, period.end)
        else:
            content = digest_content(user, start, period.end)
        delivery = DigestDelivery(
            user=user,
            scope=kind,
            frequency=period.frequency,
            period_start=period.start_date,
            window_start=start,
            window_end=period.end,
            experience_count=content.experience_count,
            answer_count=content.answer_count,
            sent_at=None if content.is_empty else timezone.now(),
        )
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            return None
        if not content.is_empty and can_receive_notifications(user):
            unsubscribe_scope, template = DIGEST_KINDS[kind]
            with translation.override(settings.LANGUAGE_CODE):
                if kind == DigestScope.AGENT_ALERTS:
                    subject = _("Votre résumé quotidien des expériences publiées sur vos services")
                else:
                    subject = _("Votre résumé %(frequency)s Écoute") % {
                        "frequency": period.frequency.label
                    }
                message = emails.build_message(
                    user=user,
                    scope=unsubscribe_scope,
                    subject=subject,
                    template=template,
                    context={
                        "content": content,
                        "period": period,
                        "window_start": start,
                        "window_end": period.end,
                    },
                )
            transaction.on_commit(message.send)
        return delivery


# Agents' alerts on new experiences ---------------------------------------------------------
# "Immediate" groups a burst: the first experience published for an agent opens a batch due
# ECOUTE_AGENT_ALERT_DELAY_MINUTES later; the ones published meanwhile join it; the periodic
# `send_agent_alerts` sends the due batches, one e-mail each. See
# docs/decisions/0016-agent-resources-and-alerts.md.


def alert_delay() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ECOUTE_AGENT_ALERT_DELAY_MINUTES)


def queue_agent_alerts(*, experience_id: int) -> int:
    """A published experience: open (or join) the batch of every concerned agent who chose
    immediate alerts. Returns how many agents it concerns; three queries whatever that number."""
    experience = (
        Experience.objects.select_related("organisation", "contact_point__organisation")
        .filter(pk=experience_id, status=ExperienceStatus.PUBLISHED)
        .first()
    )
    if experience is None:
        return 0
    agent_ids = list(
        agents_with_alerts(AgentAlertFrequency.IMMEDIATE)
        .filter(pk__in=concerned_agents(experience).values("pk"))
        .values_list("pk", flat=True)
    )
    if not agent_ids:
        return 0
    now = timezone.now()
    due = now + alert_delay()
    with transaction.atomic():
        AgentAlertState.objects.bulk_create(
            [
                AgentAlertState(
                    user_id=agent_id, due_at=due, covered_until=experience.published_at or now
                )
                for agent_id in agent_ids
            ],
            ignore_conflicts=True,  # agents who already have a row: opened below
        )
        AgentAlertState.objects.filter(user_id__in=agent_ids, due_at__isnull=True).update(
            due_at=due
        )
    return len(agent_ids)


def _alert_message(*, user: User, content: DigestContent, start: dt.datetime) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(n)s nouvelle expérience publiée sur vos services",
            "%(n)s nouvelles expériences publiées sur vos services",
            content.experience_count,
        ) % {"n": content.experience_count}
        return emails.build_message(
            user=user,
            scope=Scope.AGENT_ALERTS,
            subject=subject,
            template="follows/email/agent_alert.txt",
            context={"content": content, "window_start": start, "immediate": True},
        )


def deliver_agent_alert(*, user_id: int) -> int:
    """Send an agent's batch if it is due: one e-mail with every experience published in their
    scope since the last one. Returns how many experiences the e-mail listed (0: none sent).

    Idempotent: the row is locked and its `due_at` cleared in the same transaction, so a
    second call (a rerun, a retried task, two workers) finds nothing due.
    """
    now = timezone.now()
    with transaction.atomic():
        state = (
            AgentAlertState.objects.select_for_update()
            .filter(user_id=user_id, due_at__lte=now)
            .first()
        )
        if state is None:
            return 0
        user = User.objects.get(pk=user_id)
        start = max(state.covered_until, now - ALERT_MAX_LOOKBACK)
        content = agent_alert_content(user, start, now)
        state.due_at = None
        state.covered_until = now
        fields = ["due_at", "covered_until"]
        wanted = settings_for(user).agent_alerts == AgentAlertFrequency.IMMEDIATE
        sent = 0
        if content.experience_count and wanted and can_receive_notifications(user):
            transaction.on_commit(_alert_message(user=user, content=content, start=start).send)
            state.last_sent_at = now
            fields.append("last_sent_at")
            sent = content.experience_count
        state.save(update_fields=fields)
        return sent
