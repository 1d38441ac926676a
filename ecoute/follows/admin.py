from django.contrib import admin

from ecoute.common.admin import NoWriteAdmin

from .models import AgentAlertState, DigestDelivery, Follow, NotificationSettings


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "contact_point", "experience", "created_at"]
    list_select_related = ["user", "contact_point", "experience"]
    raw_id_fields = ["user", "contact_point", "experience"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "experience_emails", "service_frequency", "agent_alerts", "updated_at"]
    list_filter = ["experience_emails", "service_frequency", "agent_alerts"]
    raw_id_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """A record of what was sent: read-only (editing it would resend or skip digests)."""

    list_display = [
        "user",
        "scope",
        "frequency",
        "period_start",
        "experience_count",
        "answer_count",
        "sent_at",
    ]
    list_filter = ["scope", "frequency", "period_start"]
    list_select_related = ["user"]

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(AgentAlertState)
class AgentAlertStateAdmin(NoWriteAdmin):
    """Written by queue_agent_alerts / deliver_agent_alert only."""

    list_display = ["user", "due_at", "covered_until", "last_sent_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
