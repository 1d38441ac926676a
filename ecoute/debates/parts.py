"""The debate sections a consultation's pages list (consultations.parts registry)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.consultations.models import Consultation
from ecoute.consultations.parts import Part, PartKind, register_part_kind

from .models import Section, Visibility


def debate_parts(consultation: Consultation) -> list[Part]:
    sections = Section.objects.filter(consultation=consultation).annotate(
        published=Count("contributions", filter=Q(contributions__visibility=Visibility.PUBLISHED))
    )
    results_url = reverse("debates:results", args=[consultation.slug])
    return [
        Part(
            title=section.title,
            url=reverse("debates:section", args=[consultation.slug, section.slug]),
            summary=section.description,
            contributions=section.published,
            counted=_("contributions"),
            results_url=results_url,
            order=100 + section.order,
        )
        for section in sections.order_by("order", "id")
    ]


def register() -> None:
    register_part_kind(PartKind(key="debats", label=_("Débats"), parts=debate_parts))
