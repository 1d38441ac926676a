"""Background e-mails (django-tasks: immediate in the demo, database worker in production)."""

import datetime as dt

from django_tasks import task


@task()
def send_follow_notifications(*, experience_id: int, event: str) -> int:
    from .actions import notify_followers

    return notify_followers(experience_id=experience_id, event=event)


@task()
def send_digest(*, user_id: int, frequency: str, today: str, scope: str = "services") -> bool:
    """Deliver one account's digest (followed services, or an agent's organisations) for the
    period before `today` (ISO date)."""
    from ecoute.accounts.models import User

    from .actions import deliver_digest, digest_period

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    period = digest_period(frequency=frequency, today=dt.date.fromisoformat(today))
    return deliver_digest(user=user, period=period, scope=scope) is not None


@task()
def open_agent_alerts(*, experience_id: int) -> int:
    from .actions import queue_agent_alerts

    return queue_agent_alerts(experience_id=experience_id)


@task()
def send_agent_alert(*, user_id: int) -> int:
    from .actions import deliver_agent_alert

    return deliver_agent_alert(user_id=user_id)
