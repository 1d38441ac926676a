"""Background tasks (django-tasks): tell reporters what the moderation decided."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_report_outcome(*, report_ids: list[int]) -> None:
    """E-mail each reporter the decision on their report (upheld: hidden; dismissed: kept).
    Reporters whose account was deleted are skipped."""
    from .models import Report

    reports = Report.objects.filter(pk__in=report_ids, reporter__isnull=False).select_related(
        "reporter"
    )
    for report in reports:
        if report.reporter is None or not report.reporter.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Votre signalement sur Écoute a été examiné")
            body = render_to_string(
                "moderation/email/report_outcome.txt",
                {"report": report, "site_url": settings.ECOUTE_SITE_URL},
            )
        send_mail(subject, body, None, [report.reporter.email])
