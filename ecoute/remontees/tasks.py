"""Background tasks (django-tasks: immediate in the demo, database worker in production)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_status_changed(*, change_id: int) -> None:
    """Tell the author of a remontée that its status changed (and the manager's comment)."""
    from .models import StatusChange

    change = (
        StatusChange.objects.select_related("remontee__author", "remontee__organisation")
        .filter(pk=change_id)
        .first()
    )
    author = change.remontee.author if change is not None else None
    if change is None or author is None:
        return
    remontee = change.remontee
    # Triggered by a manager: the author gets the site's language, not the manager's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Votre remontée « %(title)s » : %(status)s") % {
            "title": remontee.title,
            "status": change.get_to_status_display(),
        }
        body = render_to_string(
            "remontees/email/status_changed.txt",
            {"change": change, "remontee": remontee, "site_url": settings.ECOUTE_SITE_URL},
        )
    send_mail(subject, body, None, [author.email])
