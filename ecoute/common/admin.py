"""Admin bases for records written only by actions (the admin may read them, never write)."""

from django.contrib import admin
from django.http import HttpRequest


class NoWriteAdmin(admin.ModelAdmin):
    """Listed and viewed, never added or changed here: the actions write these rows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(NoWriteAdmin):
    """Append-only records (journals, revisions, items): not even deleted here."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
