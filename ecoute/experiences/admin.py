from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin
from ecoute.moderation import actions as moderation
from ecoute.moderation.models import ModerationItem

from .models import (
    RATING_FIELDS,
    Answer,
    AnswerRevision,
    AnswerStatistics,
    AnswerUseful,
    Experience,
    GuestSubmission,
    MeToo,
)


class AnswerInline(admin.StackedInline):
    """Read-only: answers are written by answer_experience (masked), hidden through moderation."""

    model = Answer
    extra = 0
    fields = (
        "organisation",
        "author",
        "follow_up_of",
        "body",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_reason",
    )
    # The text changes through edit_answer only, so that every version is kept; hiding goes
    # through moderation.
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    """Read-mostly: publishing and hiding go through the moderation queue (logged actions)."""

    list_display = ["title", "status", "origin", "network", "contact_point", "created_at"]
    list_filter = ["status", "origin", "channel", "sentiment"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "contact_point"]
    list_select_related = ["network", "contact_point"]
    # Texts and ratings are written by the actions (masked, rolled up): read-only here; a
    # moderator corrects masks from the moderation item's page. Publishing goes through the
    # admin action below, which calls the moderation action.
    actions = ["publish_selected"]
    readonly_fields = [
        "title",
        "body",
        "masked_items",
        "occurred_on",
        "channel",
        "sentiment",
        *RATING_FIELDS,
        "origin",
        "status",
        "published_at",
        "hidden_reason",
        "fingerprint",
        "created_at",
        "organisation",
        "commune",
        "departement",
        "is_answered",
        "metoo_count",
    ]
    inlines = [AnswerInline]

    @admin.action(description=_("Publier (action de modération, journalisée)"))
    def publish_selected(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        result = moderation.bulk_publish(
            actor=request.user,  # type: ignore[arg-type]
            item_ids=list(
                ModerationItem.objects.filter(
                    kind="experience", object_id__in=queryset.values("pk")
                ).values_list("pk", flat=True)
            ),
        )
        self.message_user(request, _("%(n)s publiée(s).") % {"n": result.done})
        for title, error in result.errors:
            self.message_user(request, f"{title} : {error}", level="error")


@admin.register(Answer)
class AnswerAdmin(NoWriteAdmin):
    """Read-only: answers are written by answer_experience / edit_answer, hidden through
    moderation."""

    list_display = ["experience", "organisation", "author", "created_at", "edited_at"]
    list_select_related = ["experience", "organisation", "author"]


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(ReadOnlyAdmin):
    """Read-only: versions are appended by answer_experience and edit_answer, never changed."""

    list_display = ["answer", "author", "created_at"]
    raw_id_fields = ["answer", "author"]
    list_select_related = ["answer", "author"]


@admin.register(AnswerStatistics)
class AnswerStatisticsAdmin(NoWriteAdmin):
    """Kept by the actions; `manage.py rebuild_answer_statistics` repairs it."""

    list_display = ["__str__", "published_count", "answered_count", "updated_at"]
    raw_id_fields = ["network", "organisation"]


class ReactionAdmin(ReadOnlyAdmin):
    """Read-only: rows and counters change together through actions.set_metoo /
    set_answer_useful; adding or deleting a row here would leave the counter wrong."""

    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]


@admin.register(MeToo)
class MeTooAdmin(ReactionAdmin):
    list_display = ["experience", "user", "created_at"]
    list_select_related = ["experience", "user"]


@admin.register(AnswerUseful)
class AnswerUsefulAdmin(ReactionAdmin):
    list_display = ["answer", "user", "created_at"]
    list_select_related = ["answer", "user"]


@admin.register(GuestSubmission)
class GuestSubmissionAdmin(NoWriteAdmin):
    """Read-only: created by the tell form, confirmed by its e-mail link, purged when expired."""

    list_display = ["pk", "contact_point", "postal_code", "created_at", "confirmed_at"]
    list_filter = ["confirmed_at"]
    raw_id_fields = ["contact_point", "experience"]
    list_select_related = ["contact_point"]
