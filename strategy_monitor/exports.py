"""Safe spreadsheet output: text a spreadsheet would run as a formula is neutralised.

A value that starts with =, +, -, @ (or a tab or carriage return that hides one) is written with
a leading apostrophe, as OWASP advises against CSV and formula injection.
"""

import logging

from django.contrib import messages
from django.http import HttpResponseRedirect
from django_tables2.export import ExportMixin, TableExport

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")


def spreadsheet_safe(value):
    """Return `value` so that no spreadsheet reads it as a formula; non-text passes unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """A django-tables2 export whose text cells cannot run as formulas."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = [tuple(spreadsheet_safe(value) for value in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset


class SafeExportMixin(ExportMixin):
    """Offer a table as CSV and XLSX (`?_export=csv`), with formulas neutralised.

    A download that fails sends the user back to the table with a message, never a trace.
    """

    export_class = SafeTableExport
    export_formats = EXPORT_FORMATS

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if not self.export_class.is_valid_format(export_format):
            return super().render_to_response(context, **kwargs)
        try:
            return self.create_export(export_format)
        except Exception:
            logger.exception("The %s download of %s failed.", export_format, self.request.path)
            messages.error(
                self.request,
                "The download could not be made. Nothing was downloaded; please try again, and "
                "tell the administrator if it fails again.",
            )
            query = self.request.GET.copy()
            query.pop(self.export_trigger_param, None)
            back = self.request.path + (f"?{query.urlencode()}" if query else "")
            return HttpResponseRedirect(back)
