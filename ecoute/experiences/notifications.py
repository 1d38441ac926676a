"""E-mails to the author when their experience changes (sent after commit, through a task)."""

from django.db import transaction

from .models import Experience
from .tasks import send_experience_notification


def notify_author_on_commit(experience: Experience, event: str) -> None:
    if experience.author_id is None:
        return
    experience_id = experience.pk
    transaction.on_commit(
        lambda: send_experience_notification.enqueue(experience_id=experience_id, event=event)
    )
