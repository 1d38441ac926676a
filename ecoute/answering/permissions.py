"""Who sees and manages answer templates: always scoped by organisation.

An agent manages the templates of the organisations they are a member of, and uses those and
the templates of every organisation above them (a direction's templates serve its agencies).
An agent of A never sees B's templates; moderators and usagers see none.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, Organisation

from .models import AnswerTemplate


def _ancestor_ids(path: str, own_id: int) -> set[int]:
    ids = {int(part) for part in path.strip("/").split("/") if part}
    ids.add(own_id)
    return ids


def managed_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """The organisations whose templates `user` creates, edits and archives (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(AgentMembership.objects.filter(user=user).values_list("organisation_id", flat=True))


def managed_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user)).order_by("name")


def visible_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """The organisations whose templates `user` sees: theirs and every one above them."""
    if not user.is_authenticated or not user.is_active:
        return set()
    rows = Organisation.objects.filter(memberships__user=user).values_list("id", "path")
    return {ancestor for org_id, path in rows for ancestor in _ancestor_ids(path, org_id)}


def templates_for_user(user: User | AnonymousUser) -> QuerySet[AnswerTemplate]:
    """Every template `user` may see (archived ones included; filter with .active())."""
    return AnswerTemplate.objects.filter(organisation_id__in=visible_organisation_ids(user))


def templates_for_answer(organisation: Organisation) -> QuerySet[AnswerTemplate]:
    """The active templates usable when answering in the name of `organisation`: its own and
    those of every organisation above it."""
    return AnswerTemplate.objects.active().filter(
        organisation_id__in=_ancestor_ids(organisation.path, organisation.pk)
    )


def can_manage_templates(user: User | AnonymousUser) -> bool:
    """An agent (a member of at least one organisation)."""
    return bool(managed_organisation_ids(user))


def can_manage_template(user: User | AnonymousUser, template: AnswerTemplate) -> bool:
    """A current member of the template's own organisation (not of one below or beside it)."""
    return template.organisation_id in managed_organisation_ids(user)
