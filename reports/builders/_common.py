"""Helpers that more than one report builder uses."""


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username
