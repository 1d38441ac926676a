"""E-mails to the author when their experience changes (sent after commit, through a task)."""

from django.db import transaction

from .models import Experience, ExperienceOrigin
from .tasks import send_experience_notification


def notify_author_on_commit(experience: Experience, event: str) -> None:
    # No author: imported or generated (nobody to tell), or told without an account (the
    # task finds the confirmed address of its guest contact).
    if experience.author_id is None and experience.origin != ExperienceOrigin.USER:
        return
    experience_id = experience.pk
    transaction.on_commit(
        lambda: send_experience_notification.enqueue(experience_id=experience_id, event=event)
    )
