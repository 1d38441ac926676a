"""The resources app's part of "download my data": the modules the account completed. They
go with the account (on_delete=CASCADE), so there is nothing to erase here."""

from typing import Any

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .models import ModuleCompletion


def export_completions(user: User) -> list[dict[str, Any]]:
    completions = (
        ModuleCompletion.objects.filter(user=user)
        .select_related("module")
        .order_by("completed_at", "id")
    )
    return [
        {"module": c.module.title, "slug": c.module.slug, "completed_at": c.completed_at}
        for c in completions
    ]


SECTION = PersonalDataSection(key="training", export=export_completions)
