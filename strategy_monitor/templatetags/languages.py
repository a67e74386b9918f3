"""The interface language the reader is not reading, for links to a document written in it.

A page in English offers a document "In Danish" (`?lang=da`), a page in Danish "På engelsk"
(`?lang=en`); the exports read the `lang` parameter.
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class OtherLanguage:
    """The other language: its code for `?lang=` and `hreflang`, its link text and its name."""

    code: str
    label: str
    name: str


@register.simple_tag
def other_language() -> OtherLanguage:
    """Return the language of the interface that is not the active one."""
    if (get_language() or "").startswith("da"):
        return OtherLanguage("en", _("In English"), pgettext("language, after in", "English"))
    return OtherLanguage("da", _("In Danish"), pgettext("language, after in", "Danish"))
