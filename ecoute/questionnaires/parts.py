"""The questionnaires of a consultation, as its pages list them (consultations.parts)."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.consultations.models import Consultation
from ecoute.consultations.parts import Part

from .models import Questionnaire
from .permissions import results_are_public


def questionnaire_parts(consultation: Consultation) -> list[Part]:
    questionnaires = (
        Questionnaire.objects.filter(consultation=consultation, is_template=False)
        .annotate(respondents=Sum("respondent_tallies__count"))
        .order_by("order", "id")
    )
    public = results_are_public(consultation)
    return [
        Part(
            title=q.title,
            url=reverse("questionnaires:answer", args=[consultation.slug, q.pk]),
            summary=q.introduction[:200],
            contributions=getattr(q, "respondents", 0) or 0,
            counted=_("réponses"),
            results_url=reverse("questionnaires:results", args=[consultation.slug, q.pk])
            if public
            else "",
            order=10 + q.order,
        )
        for q in questionnaires
    ]
