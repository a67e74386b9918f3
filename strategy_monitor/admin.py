"""What every app's admin pages share: the site's names, display helpers and read-only admins.

The admin is a safety net, not a second way to keep the records. Monitored records (figures,
assessments, money, risk ratings, meetings) are changed on their own pages, where the rules
and the change log's reasons apply; the admin shows them and their history, and changes none.
Users, groups, teams, partners and reference data stay editable here.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from strategy_monitor.formats import person_name
from strategy_monitor.models import ExternalIdentity
from strategy_monitor.personal_data import user_anonymise
from strategy_monitor.preferences.admin import UserPreferenceInline

admin.site.site_header = gettext_lazy("Strategy Monitor administration")
admin.site.site_title = gettext_lazy("Strategy Monitor administration")
admin.site.index_title = gettext_lazy("Strategies, funding, risks and engagement")


def format_amount(value: Decimal | None) -> str:
    """Return `value` with thousands separators, and decimals only where it has any."""
    if value is None:
        return admin.site.empty_value_display
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


def truncate_words(value: str, words: int = 12) -> str:
    """Return the start of a long text, so a changelist row stays one line or two."""
    return Truncator(value).words(words)


class HistoryAdmin(SimpleHistoryAdmin):
    """Show a record's change history; reverting to an old version is a change like any other."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history view would save a posted version even for a user who may only view it.
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class MonitoredAdmin(HistoryAdmin):
    """Show monitored records and their history; they are added, changed and deleted on their pages.

    Without delete permission here, the admin also refuses to delete a record whose deletion
    would take monitored records with it (a strategy with its years, a budget line with its
    planned amounts).
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every field shows as text, on the change page and on an old version in the history.
        return [
            field.name
            for field in [*self.opts.fields, *self.opts.many_to_many]
            if not field.primary_key
        ]


class ReadOnlyInlineMixin:
    """Show related rows on a parent's page; they are added and changed elsewhere."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin:
    """Show rows the application writes itself; an administrator may only look or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.action(description=gettext_lazy("Anonymise departed users"), permissions=["change"])
def anonymise_departed_users(modeladmin, request, queryset):
    """Anonymise the selected departed users after a confirmation page; refuse any other."""
    users = list(queryset.order_by("pk"))
    refused = [user for user in users if user.is_active or user.is_superuser]
    if refused:
        modeladmin.message_user(
            request,
            _(
                "Nothing was changed: only departed users can be anonymised. Deactivate the "
                "account (and take away superuser status) first: %(users)s."
            )
            % {"users": ", ".join(user.username for user in refused)},
            messages.ERROR,
        )
        return None
    if request.POST.get("post") != "yes":
        return TemplateResponse(
            request,
            "admin/auth/user/anonymise_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Anonymise departed users"),
                "users": users,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
    for user in users:
        user_anonymise(user=user, acting_user=request.user)
    modeladmin.message_user(
        request,
        _("Anonymised %(count)s departed user(s): they now read as %(names)s.")
        % {"count": len(users), "names": ", ".join(person_name(user) for user in users)},
        messages.SUCCESS,
    )
    return None


class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, with the anonymisation of departed users."""

    actions = [*(auth_admin.UserAdmin.actions or ()), anonymise_departed_users]
    inlines = [*auth_admin.UserAdmin.inlines, UserPreferenceInline]


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Which ministry account signs in which user.

    Adding a row ties an existing user to an account before its first sign-in (the tenant and
    object id from Entra ID); deleting one lets that account's next sign-in create a new user.
    """

    list_display = ["user", "issuer", "subject", "last_sign_in_at"]
    search_fields = ["user__username", "user__email", "subject"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_sign_in_at", "created_at", "updated_at"]
