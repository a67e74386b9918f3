"""The privacy notice: what personal data the application holds, why, how long, whom to ask."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import ngettext
from django.views.generic import TemplateView


def days_text(days: int) -> str:
    """Return a retention period as people say it: "5 years", "90 days"."""
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


class PrivacyNoticeView(TemplateView):
    """Show the privacy notice, to anyone: it is read before logging in."""

    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "user_retention": days_text(settings.PERSONAL_DATA_RETENTION_DAYS),
            "login_retention": days_text(settings.LOGIN_ATTEMPT_RETENTION_DAYS),
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        }


privacy_notice = login_not_required(PrivacyNoticeView.as_view())
