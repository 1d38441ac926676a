"""Every state change of resources, modules and completions."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User

from .models import ModuleCompletion, PublicationStatus, Resource, TrainingModule
from .permissions import can_complete_module, can_manage_resources


def _set_status(*, actor: User, content: Resource | TrainingModule, publish: bool) -> bool:
    if not can_manage_resources(actor):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    target = PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT
    with transaction.atomic():
        row = type(content).objects.select_for_update().get(pk=content.pk)
        if row.status == target:
            return False
        row.status = target
        fields = ["status", "updated_at"]
        if publish:
            row.published_at = timezone.now()
            fields.append("published_at")
        row.save(update_fields=fields)
    content.status, content.published_at = row.status, row.published_at
    return True


def publish_content(*, actor: User, content: Resource | TrainingModule) -> bool:
    """Publish a resource or a module (staff); True when it changed (twice is harmless)."""
    return _set_status(actor=actor, content=content, publish=True)


def unpublish_content(*, actor: User, content: Resource | TrainingModule) -> bool:
    """Back to draft: agents no longer see it. A resource stays a step of its modules (shown
    to staff only); a module keeps its completions for when it returns."""
    return _set_status(actor=actor, content=content, publish=False)


@transaction.atomic
def complete_module(*, user: User, module: TrainingModule) -> ModuleCompletion:
    """Mark a module done. Idempotent: twice (two tabs, a double click) keeps one row, which
    the unique constraint guarantees."""
    if not can_complete_module(user, module):
        raise PermissionDenied(_("Vous ne pouvez pas suivre ce module."))
    try:
        with transaction.atomic():
            return ModuleCompletion.objects.create(user=user, module=module)
    except IntegrityError:
        return ModuleCompletion.objects.get(user=user, module=module)


@transaction.atomic
def uncomplete_module(*, user: User, module: TrainingModule) -> bool:
    """Undo "terminé"; True when a completion was removed (idempotent)."""
    deleted, _details = ModuleCompletion.objects.filter(user=user, module=module).delete()
    return bool(deleted)
