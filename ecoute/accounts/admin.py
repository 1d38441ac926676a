from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ExternalIdentity, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "email_confirmed_at", "is_moderator", "is_staff"]
    list_filter = ["is_moderator", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "email"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Écoute"), {"fields": ("email_confirmed_at", "is_moderator")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "created_at"]
    list_filter = ["provider"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["provider", "subject", "created_at"]
