"""Who reads the resources, completes modules, manages them and sees completion.

- Read resources and modules, mark a module done: signed-in agents (a member of at least one
  organisation) and staff. Drafts: staff only (a preview before publication).
- Publish, unpublish, edit: staff (the Django admin).
- See an organisation's completion: staff, and the managers ("responsable d'équipe") of that
  organisation or of one above it.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import MembershipRole, Organisation
from ecoute.catalogue.permissions import get_acting_organisation, is_agent

from .models import Resource, TrainingModule


def _active(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_active


def _is_staff(user: User | AnonymousUser) -> bool:
    return _active(user) and (user.is_staff or user.is_superuser)


def can_view_resources(user: User | AnonymousUser) -> bool:
    return _is_staff(user) or (_active(user) and is_agent(user))


def can_view_drafts(user: User | AnonymousUser) -> bool:
    return _is_staff(user)


def can_view_content(user: User | AnonymousUser, content: Resource | TrainingModule) -> bool:
    if not can_view_resources(user):
        return False
    return content.is_published or can_view_drafts(user)


def can_manage_resources(user: User | AnonymousUser) -> bool:
    """Publish, unpublish and edit resources and modules (the admin's actions)."""
    return _is_staff(user)


def can_complete_module(user: User | AnonymousUser, module: TrainingModule) -> bool:
    return module.is_published and can_view_resources(user)


def _manages(user: User, organisation: Organisation) -> bool:
    """A manager ("responsable d'équipe") of the organisation or of one above it."""
    return get_acting_organisation(user, organisation, manager=True) is not None


def can_view_training_completion(user: User | AnonymousUser, organisation: Organisation) -> bool:
    if _is_staff(user):
        return True
    return isinstance(user, User) and user.is_active and _manages(user, organisation)


def can_view_any_completion(user: User | AnonymousUser) -> bool:
    """Staff choose any organisation by its number on the completion page."""
    return _is_staff(user)


def completion_organisations_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations offered on the completion page: those the user is a manager of."""
    if not isinstance(user, User) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.MANAGER
    ).order_by("name", "id")


def can_see_completion_page(user: User | AnonymousUser) -> bool:
    """Staff, or the manager of at least one organisation."""
    return can_view_any_completion(user) or completion_organisations_for(user).exists()
