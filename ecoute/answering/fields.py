"""The fields of an answer template and how they are filled for one experience."""

import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoute.catalogue.models import Organisation
from ecoute.experiences.models import Experience

# Field name (as typed in a template, between braces) -> what it becomes.
FIELDS = {
    "pseudonyme": gettext_lazy("le pseudonyme public de l'auteur de l'expérience"),
    "service": gettext_lazy("le nom du service concerné (point de contact ou organisation)"),
    "date": gettext_lazy("la date de l'expérience"),
    "organisation": gettext_lazy("le nom de votre organisation, qui signe la réponse"),
}
FIELD_RE = re.compile(r"\{([^{}\s]{1,40})\}")


def unknown_fields(body: str) -> list[str]:
    """The `{names}` of `body` that are not fields (a typo would be published as typed)."""
    return sorted({name for name in FIELD_RE.findall(body) if name not in FIELDS})


def field_values(*, experience: Experience, organisation: Organisation) -> dict[str, str]:
    """What each field becomes for this experience, answered in the name of `organisation`.
    `experience` is expected with its author and contact point loaded (no query here)."""
    author = experience.author
    point = experience.contact_point
    occurred = experience.occurred_on or (
        experience.published_at.date() if experience.published_at else None
    )
    return {
        # An experience told without an account has no pseudonym.
        "pseudonyme": author.username if author is not None else _("Madame, Monsieur"),
        "service": point.name if point is not None else organisation.display_name,
        "date": formats.date_format(occurred, "j F Y") if occurred else "",
        "organisation": organisation.display_name,
    }


def fill(body: str, values: dict[str, str]) -> str:
    """`body` with each known `{field}` replaced; anything else is left as typed."""
    return FIELD_RE.sub(lambda m: values.get(m.group(1), m.group(0)), body)
