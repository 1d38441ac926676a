"""Background tasks (django-tasks: immediate in the demo, database worker in production)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_answer_notification(*, contribution_id: int) -> None:
    """Tell a proposal's author that the organiser answered it (« vous avez dit, nous avons
    fait »). Nobody to tell: imported or organiser contributions, erased or unconfirmed
    accounts, hidden proposals."""
    from .models import AnswerStatus, Contribution, Visibility

    contribution = (
        Contribution.objects.select_related("author", "section__consultation")
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None or contribution.answer_status == AnswerStatus.NONE:
        return
    author = contribution.author
    if (
        author is None
        or contribution.by_organiser
        or contribution.visibility != Visibility.PUBLISHED
        or not author.is_active
        or not author.has_confirmed_email
    ):
        return
    # Triggered by the organiser: the author gets the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Votre proposition a reçu une réponse officielle sur Écoute")
        body = render_to_string(
            "debates/email/answered.txt",
            {
                "contribution": contribution,
                "status": contribution.get_answer_status_display(),
                "site_url": settings.ECOUTE_SITE_URL,
            },
        )
    send_mail(subject, body, None, [author.email])
