import pytest
from django.contrib.auth.models import Permission

from tests.factories import AgentMembershipFactory, UserFactory

# Who visits each page.
ROLES = ["anonymous", "usager", "agent", "moderator", "organiser", "admin"]


@pytest.fixture
def users():
    """One account per role. The organiser is staff with the consultation permissions."""
    organiser = UserFactory(is_staff=True)
    organiser.user_permissions.set(
        Permission.objects.filter(content_type__app_label="consultations")
    )
    return {
        "anonymous": None,
        "usager": UserFactory(),
        "agent": AgentMembershipFactory().user,
        "moderator": UserFactory(moderator=True),
        "organiser": organiser,
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }


def login(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


@pytest.fixture
def one_part(monkeypatch):
    """Only a fake part kind registered (the real apps' parts are left out of these tests)."""
    from ecoute.consultations import parts

    def questionnaire(consultation) -> list[parts.Part]:
        return [
            parts.Part(
                title="Questionnaire de satisfaction",
                url=f"{consultation.get_absolute_url()}questionnaires/1/",
                summary="Dix questions",
                contributions=42,
                counted="réponses",
                results_url=f"{consultation.get_absolute_url()}questionnaires/1/resultats/",
                downloads=(("Réponses (CSV)", "/telechargements/reponses.csv"),),
            )
        ]

    monkeypatch.setattr(parts, "_KINDS", {})
    parts.register_part_kind(parts.PartKind(key="fake", label="Fake", parts=questionnaire))
