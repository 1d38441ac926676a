"""The catalogue's part of "download my data": the organisations an agent belongs to
(registered with accounts.personal_data from CatalogueConfig.ready). Memberships go with the
account (on_delete=CASCADE), so there is nothing to erase."""

from typing import Any

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection


def export_memberships(user: User) -> list[dict[str, Any]]:
    return [
        {"organisation": membership.organisation.display_name, "since": membership.created_at}
        for membership in user.memberships.select_related("organisation").order_by("created_at")
    ]


SECTION = PersonalDataSection(key="agent_memberships", export=export_memberships)
