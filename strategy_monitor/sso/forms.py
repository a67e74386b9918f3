"""The password login form, which says so when password logins are switched off."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOCAL_LOGIN_OFF_CODE = "local_login_off"


class LocalLoginForm(AuthenticationForm):
    """Log in with a user name and password; refused outright while LOCAL_LOGIN is "off"."""

    def clean(self):
        if settings.LOCAL_LOGIN == "off":
            raise ValidationError(
                _(
                    "Logging in with a password is switched off. "
                    "Sign in with your ministry account."
                ),
                code=LOCAL_LOGIN_OFF_CODE,
            )
        return super().clean()
