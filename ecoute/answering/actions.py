"""Every change to answer templates: create, edit, archive or restore. Each checks who acts
(permissions.py) and what is written (ValidationError with a message otherwise)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation

from .fields import unknown_fields
from .models import AnswerTemplate, TemplateFamily
from .permissions import can_manage_template, managed_organisation_ids

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000


def _checked(*, family: str, title: str, body: str) -> tuple[str, str, str]:
    title, body = title.strip(), body.strip()
    if family not in TemplateFamily.values:
        raise ValidationError(_("Famille inconnue."), code="family")
    if not 1 <= len(title) <= TITLE_MAX_LENGTH or not 10 <= len(body) <= BODY_MAX_LENGTH:
        raise ValidationError(_("Titre ou texte vide ou trop long."), code="length")
    if unknown := unknown_fields(body):
        raise ValidationError(
            _("Champ inconnu : %(fields)s. Champs possibles : %(known)s."),
            code="unknown_field",
            params={
                "fields": ", ".join(f"{{{name}}}" for name in unknown),
                "known": "{pseudonyme}, {service}, {date}, {organisation}",
            },
        )
    return family, title, body


def _save_unique(template: AnswerTemplate, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the transaction usable
            template.save(update_fields=fields)
    except IntegrityError as error:
        raise ValidationError(
            _("Votre organisation a déjà un modèle portant ce titre."), code="duplicate_title"
        ) from error


@transaction.atomic
def create_answer_template(
    *,
    actor: User,
    organisation: Organisation,
    family: str,
    title: str,
    body: str,
    is_generated: bool = False,
) -> AnswerTemplate:
    """A new template of `organisation`, which `actor` must be a member of."""
    if organisation.pk not in managed_organisation_ids(actor):
        raise PermissionDenied(_("Vous ne gérez pas les modèles de cette organisation."))
    family, title, body = _checked(family=family, title=title, body=body)
    template = AnswerTemplate(
        organisation=organisation,
        family=family,
        title=title,
        body=body,
        created_by=actor,
        is_generated=is_generated,
    )
    _save_unique(template)
    return template


@transaction.atomic
def update_answer_template(
    *, actor: User, template: AnswerTemplate, family: str, title: str, body: str
) -> AnswerTemplate:
    """Change a template's family, title and text (its organisation does not change)."""
    if not can_manage_template(actor, template):
        raise PermissionDenied(_("Vous ne gérez pas les modèles de cette organisation."))
    template.family, template.title, template.body = _checked(family=family, title=title, body=body)
    _save_unique(template, ["family", "title", "body", "updated_at"])
    return template


@transaction.atomic
def archive_answer_template(
    *, actor: User, template: AnswerTemplate, archived: bool = True
) -> AnswerTemplate:
    """Archive (no longer offered when answering) or restore a template; idempotent. Templates
    are archived rather than deleted: answers already written from them are not affected."""
    if not can_manage_template(actor, template):
        raise PermissionDenied(_("Vous ne gérez pas les modèles de cette organisation."))
    if template.is_archived != archived:
        template.is_archived = archived
        template.save(update_fields=["is_archived", "updated_at"])
    return template
