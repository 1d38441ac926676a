"""The consultations app's part of "download my data": the consultations an account took part
in and whether its pseudonym is listed (participations go with the account: CASCADE)."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .models import Participation


def export_participations(user: User) -> dict[str, Any]:
    participations = (
        Participation.objects.filter(user=user)
        .select_related("consultation")
        .order_by("first_at", "id")
    )
    return {
        "participations": [
            {
                "consultation": participation.consultation.title,
                "url": settings.ECOUTE_SITE_URL + participation.consultation.get_absolute_url(),
                "first_at": participation.first_at,
                "pseudonym_listed": participation.is_listed,
            }
            for participation in participations
        ]
    }


SECTION = PersonalDataSection(key="consultations", export=export_participations)
