"""Listens to experiences' events (connected in apps.py) and queues the followers' e-mails."""

from typing import Any

from .tasks import open_agent_alerts, send_follow_notifications


def on_experience_event(sender: Any, *, experience_id: int, event: str, **kwargs: Any) -> None:
    if event in ("published", "answered"):
        send_follow_notifications.enqueue(experience_id=experience_id, event=event)
    if event == "published":  # agents of its organisation (or above) who want it at once
        open_agent_alerts.enqueue(experience_id=experience_id)
