"""Writes of a sign-in: the user an external account stands for, and the groups its roles give."""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from strategy_monitor.models import ExternalIdentity

USERNAME_MAX = 150


def identity_key(claims: Mapping) -> tuple[str, str] | None:
    """Return the stable (issuer, subject) key of an account, or None when the claims lack one.

    Entra ID's object id (`oid`) in its tenant (`tid`) is the same for every application, while
    its `sub` differs per application; other providers give `iss` and `sub`.
    """
    tid, oid = claims.get("tid"), claims.get("oid")
    if tid and oid:
        return str(tid), str(oid)
    iss, sub = claims.get("iss"), claims.get("sub")
    if iss and sub:
        return str(iss), str(sub)
    return None


def _free_username(wanted: str) -> str:
    User = get_user_model()
    base = wanted[: USERNAME_MAX - 4] or "user"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _profile(claims: Mapping) -> dict[str, str]:
    email = claims.get("email") or ""
    if not email and "@" in str(claims.get("preferred_username") or ""):
        email = claims["preferred_username"]
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
    return {
        "email": str(email)[:254],
        "first_name": str(first)[:150],
        "last_name": str(last)[:150],
    }


@transaction.atomic
def identity_user_sign_in(*, issuer: str, subject: str, claims: Mapping):
    """Return the user of the account (issuer, subject), created on its first sign-in.

    The name and e-mail address are taken from the claims at each sign-in; they never decide
    which user signs in.
    """
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    profile = _profile(claims)
    if identity is None:
        wanted = str(claims.get("preferred_username") or profile["email"] or subject)
        user = get_user_model().objects.create_user(_free_username(wanted), **profile)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        identity = ExternalIdentity(issuer=issuer, subject=subject, user=user)
    else:
        user = identity.user
        changed = [field for field, value in profile.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, profile[field])
        if changed:
            user.save(update_fields=changed)
    identity.last_sign_in_at = timezone.now()
    identity.full_clean()
    identity.save()
    return user


@transaction.atomic
def user_roles_sync(*, user, governed: frozenset[str], granted: frozenset[str]) -> None:
    """Give `user` the `granted` groups and take away the other `governed` ones.

    Groups that the role map does not govern (given by hand in the admin) are left as they are.
    """
    granted = granted & governed
    user.groups.remove(*Group.objects.filter(name__in=governed - granted))
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(granted)))
