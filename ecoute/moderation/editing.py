"""Edit in place: a moderator masks more, or unmasks a false positive, in a contribution's text.

The private original and its spans live in `MaskedText` (moderators only); the public text is
always `apply_masks(original, masked spans)`, written by the owning app's `on_edit_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .masking import MASKS, Span, apply_masks
from .models import MaskedText, ModerationAction, ModerationItem
from .permissions import can_moderate
from .registry import moderated_by_key, moderated_for

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

MANUAL = "manual"
# What each kind of span is, in the moderator's words (the keys of masking.MASKS).
KIND_LABELS = {
    "email": gettext_lazy("adresse électronique"),
    "phone": gettext_lazy("numéro de téléphone"),
    "nir": gettext_lazy("numéro de sécurité sociale"),
    "iban": gettext_lazy("IBAN"),
    MANUAL: gettext_lazy("masqué à la main"),
}


@dataclass
class SpanView:
    index: int
    kind: str
    masked: bool
    text: str  # the original characters: shown to moderators only

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass
class EditableText:
    field: str
    label: str  # the field's verbose name ("récit"), for the moderator
    public: str
    spans: list[SpanView]


def _masked_texts(item_or_target: Any) -> dict[str, MaskedText]:
    if isinstance(item_or_target, ModerationItem):
        content_type_id, object_id = item_or_target.content_type_id, item_or_target.object_id
    else:
        content_type_id = ContentType.objects.get_for_model(item_or_target).pk
        object_id = item_or_target.pk
    rows = MaskedText.objects.filter(content_type_id=content_type_id, object_id=object_id)
    return {row.field: row for row in rows}


def editable_texts(item: ModerationItem, target: Any) -> list[EditableText]:
    moderated = moderated_by_key(item.kind)
    if moderated is None or moderated.on_edit_text is None:
        return []
    originals = _masked_texts(item)
    texts = []
    for name, public in moderated.texts(target).items():
        row = originals.get(name)
        spans = []
        if row is not None:
            spans = [
                SpanView(i, s["kind"], s["masked"], row.original[s["start"] : s["end"]])
                for i, s in enumerate(row.spans)
            ]
        label = str(getattr(moderated.model._meta.get_field(name), "verbose_name", name))
        texts.append(EditableText(name, label, public, spans))
    return texts


def _count_labels(text: str) -> int:
    return sum(text.count(label) for label in set(MASKS.values()))


@transaction.atomic
def edit_masks(
    *,
    actor: _User,
    target: models.Model,
    field: str,
    toggle: int | None = None,
    add: str = "",
) -> MaskedText:
    """Toggle one span (masked / unmasked), or mask every occurrence of `add` in `field`'s
    original. Journalled without the text itself; the app's `on_edit_text` writes the new
    public text. Raises ValidationError for an unknown field, span or text not found."""
    from .actions import lock_item, record_moderation_act  # actions imports this module's users

    if not can_moderate(actor):
        raise PermissionDenied(_("Réservé aux modérateurs."))
    moderated = moderated_for(type(target))
    if moderated is None or moderated.on_edit_text is None:
        raise ValidationError(_("Ce contenu ne se modifie pas ici."), code="not_editable")
    item = lock_item(target)
    publics = moderated.texts(target)
    if field not in publics:
        raise ValidationError(_("Champ inconnu."), code="field")
    row, _created = MaskedText.objects.get_or_create(
        content_type_id=item.content_type_id,
        object_id=item.object_id,
        field=field,
        defaults={"original": publics[field], "spans": []},
    )
    spans: list[dict[str, Any]] = list(row.spans)
    if toggle is not None:
        if not 0 <= toggle < len(spans):
            raise ValidationError(_("Ce passage n'existe pas."), code="span")
        spans[toggle] = spans[toggle] | {"masked": not spans[toggle]["masked"]}
        note = (
            _("Masque rétabli (%(kind)s) sur « %(field)s »")
            if spans[toggle]["masked"]
            else _("Faux positif démasqué (%(kind)s) sur « %(field)s »")
        ) % {"kind": spans[toggle]["kind"], "field": field}
    else:
        add = add.strip()
        if len(add) < 2:
            raise ValidationError(_("Indiquez le texte exact à masquer."), code="add")
        added = 0
        start = row.original.find(add)
        while start != -1:
            end = start + len(add)
            if not any(s["start"] < end and start < s["end"] for s in spans):
                spans.append({"start": start, "end": end, "kind": MANUAL, "masked": True})
                added += 1
            start = row.original.find(add, end)
        if not added:
            raise ValidationError(
                _("Ce texte ne figure pas dans l'original, ou y est déjà masqué."), code="add"
            )
        spans.sort(key=lambda s: s["start"])
        note = _("%(n)s passage(s) masqué(s) à la main sur « %(field)s »") % {
            "n": added,
            "field": field,
        }
    row.spans = spans
    row.save(update_fields=["spans", "updated_at"])
    new_text = apply_masks(
        row.original, [Span(s["start"], s["end"], s["kind"]) for s in spans if s["masked"]]
    )
    rows = _masked_texts(target)
    masked = sum(sum(1 for s in r.spans if s["masked"]) for r in rows.values())
    masked += sum(_count_labels(text) for name, text in publics.items() if name not in rows)
    moderated.on_edit_text(target, actor, {field: new_text}, masked)
    item.title = moderated.facts(target).title[:200]
    item.save(update_fields=["title"])
    record_moderation_act(
        actor=actor, action=ModerationAction.EDIT_MASKS, target=target, reason=note
    )
    return row
