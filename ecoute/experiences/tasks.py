"""Background tasks (django-tasks: immediate in the demo, database worker in production)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

if TYPE_CHECKING:
    from .models import Experience

SUBJECTS = {
    "published": _("Votre expérience est publiée sur Écoute"),
    "hidden": _("Votre expérience n'a pas été publiée sur Écoute"),
    # Hidden after it was published (a report upheld, a later review).
    "withdrawn": _("Votre expérience a été retirée d'Écoute"),
    "answered": _("Le service a répondu à votre expérience sur Écoute"),
    "routed": _("Votre expérience a été transmise à un autre service"),
}


@task()
def send_experience_notification(*, experience_id: int, event: str) -> None:
    from .models import Experience

    experience = (
        Experience.objects.select_related("author", "guest_contact", "handling_organisation")
        .filter(pk=experience_id)
        .first()
    )
    if experience is None or event not in SUBJECTS:
        return
    recipient = recipient_email(experience)
    if not recipient:
        return
    if event == "hidden" and experience.published_at is not None:
        event = "withdrawn"
    # Triggered by someone else (a moderator, an agent): the author gets the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(SUBJECTS[event])
        body = render_to_string(
            f"experiences/email/{event}.txt",
            {"experience": experience, "site_url": settings.ECOUTE_SITE_URL},
        )
    send_mail(subject, body, None, [recipient])


def recipient_email(experience: "Experience") -> str | None:
    """The author's address, or the confirmed one of an experience told without an account."""
    if experience.author is not None:
        return experience.author.email
    guest = getattr(experience, "guest_contact", None)
    return guest.email if guest is not None else None
