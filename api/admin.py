"""API tokens in the admin: an administrator issues them, sees the secret once, and revokes them."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at", "state"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username", "user__last_name"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        # A token's owner stays fixed: a new owner gets a token of their own.
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return _("revoked")
        return _("usable") if token.is_usable() else _("expired")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, text = api_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        # The admin's own messages and history link to the new row.
        obj.pk = token.pk
        obj.prefix = token.prefix
        obj.created_at = token.created_at
        messages.warning(
            request,
            _(
                "The token for %(user)s is %(token)s — copy it now: it is shown only this once "
                "and cannot be read again."
            )
            % {"user": token.user, "token": text},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
            # The token's history page shows who revoked it and when.
            self.log_change(request, token, [{"changed": {"fields": ["revoked at"]}}])
            count += 1
        self.message_user(
            request,
            ngettext(
                "Revoked %(count)s token at %(time)s.",
                "Revoked %(count)s tokens at %(time)s.",
                count,
            )
            % {"count": count, "time": time_format(timezone.localtime(), "TIME_FORMAT")},
        )
