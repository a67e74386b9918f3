"""What every list page shares: forgiving paging and filters that ignore what they cannot read.

A list address is often typed, shortened or kept in a bookmark after the data changed. A page
number or page size out of range answers the nearest valid page, and a filter value that does
not parse is left out with a message, so no address of a list answers 404 or 500.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.utils.text import capfirst
from django.utils.translation import gettext as _

DEFAULT_PER_PAGE = 25
# A page size beyond this would render thousands of rows at once; the downloads hold them all.
MAX_PER_PAGE = 100
# The years a date filter may ask for: a date field cannot hold others.
MIN_YEAR = 1
MAX_YEAR = 9999


def number_nearest(value, *, low: int, high: int, default: int) -> int:
    """Return `value` read as a whole number and brought within [low, high]; `default` if unread."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


class NearestPagePaginator(Paginator):
    """A paginator that answers any page number or page size with the nearest valid one."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        per_page = number_nearest(per_page, low=1, high=MAX_PER_PAGE, default=DEFAULT_PER_PAGE)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)

    def page(self, number) -> Page:
        """Return page `number`, or the first or last page where it falls outside."""
        last = max(self.num_pages, 1)
        return super().page(number_nearest(number, low=1, high=last, default=1))

    def get_page(self, number) -> Page:
        return self.page(number)


class YearFilter(django_filters.NumberFilter):
    """Filter by a calendar year that a date can hold; any other value is refused by the form."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


def filter_errors_report(request, form) -> None:
    """Tell the user which filter values were ignored, and why, with one message each."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = capfirst(field.label) if field is not None and field.label else _("A filter")
        value = form.data.get(form.add_prefix(name), "") if name in form.fields else ""
        reasons = " ".join(str(error) for error in errors)
        if value:
            message = _("%(label)s “%(value)s” was ignored: %(reasons)s") % {
                "label": label,
                "value": value[:40],
                "reasons": reasons,
            }
        else:
            message = _("%(label)s was ignored: %(reasons)s") % {"label": label, "reasons": reasons}
        messages.warning(request, message)


class ForgivingListMixin:
    """For a `SingleTableMixin` + `FilterView` list: nearest page, bad filter values ignored.

    The filter set still applies the values that are valid (django-filter filters by the
    form's cleaned data, which holds only those), instead of showing an empty list.
    """

    paginator_class = NearestPagePaginator
    strict = False

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if filterset.is_bound and not filterset.is_valid():
            filter_errors_report(self.request, filterset.form)
        return filterset
