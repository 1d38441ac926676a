"""Background tasks (django-tasks: immediate in the demo, database worker in production)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_document_answered(*, document_id: int) -> None:
    """Tell the submitter that the organisation answered their document."""
    from .models import Document

    document = (
        Document.objects.select_related("author", "answering_organisation")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.author is None or not document.is_answered:
        return
    # Triggered by an agent: the submitter gets the site's language, not the agent's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Le service a répondu à votre document sur Écoute")
        body = render_to_string(
            "documents/email/answered.txt",
            {"document": document, "site_url": settings.ECOUTE_SITE_URL},
        )
    send_mail(subject, body, None, [document.author.email])
