"""E-mails to the author when their experience changes (sent after commit, through a task),
and the `experience_event` signal other apps listen to (e.g. follows e-mails followers)."""

from django.db import transaction

from .models import Experience, ExperienceOrigin
from .signals import experience_event
from .tasks import send_experience_notification


def notify_author_on_commit(experience: Experience, event: str) -> None:
    experience_id = experience.pk
    # send_robust: a failing listener is logged and never fails the moderator's or agent's request.
    transaction.on_commit(
        lambda: experience_event.send_robust(
            sender=Experience, experience_id=experience_id, event=event
        )
    )
    # No author: imported or generated (nobody to tell), or told without an account (the
    # task finds the confirmed address of its guest contact).
    if experience.author_id is None and experience.origin != ExperienceOrigin.USER:
        return
    transaction.on_commit(
        lambda: send_experience_notification.enqueue(experience_id=experience_id, event=event)
    )
