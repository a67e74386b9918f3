"""Safe spreadsheet output: text a spreadsheet would run as a formula is neutralised.

A value that starts with =, +, -, @ (or a tab or carriage return that hides one) is written with
a leading apostrophe, as OWASP advises against CSV and formula injection.

A CSV download opens as it should in the user's spreadsheet: UTF-8 with a byte order mark
(without it, Excel reads "Tværgående" as "TvÃ¦rgÃ¥ende"), and, for a Danish user, ";" between
cells and a decimal comma, which is what a Danish Excel expects. Dates stay ISO (2026-12-07),
which every spreadsheet reads.
"""

import logging
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin, TableExport

from strategy_monitor.formats import decimal_separator

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
BYTE_ORDER_MARK = "\ufeff"


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

    def export(self):
        if self.format != self.CSV:
            return super().export()
        return BYTE_ORDER_MARK + csv_text(self.dataset, decimal_separator())


def csv_text(dataset, separator: str) -> str:
    """Return `dataset` as CSV for a reader whose decimal separator is `separator`.

    With a decimal comma, cells are separated by ";" and numbers written with the comma, as a
    Danish spreadsheet reads them; otherwise "," and a point.
    """
    if separator != ",":
        return dataset.export("csv")
    local = dataset.__class__(headers=dataset.headers)
    for row in dataset:
        local.append(tuple(_decimal_comma(value) for value in row))
    return local.export("csv", delimiter=";")


def _decimal_comma(value):
    if isinstance(value, bool) or not isinstance(value, Decimal | float):
        return value
    text = repr(value) if isinstance(value, float) else format(value, "f")
    return text.replace(".", ",")


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
                _(
                    "The download could not be made. Nothing was downloaded; please try again, "
                    "and tell the administrator if it fails again."
                ),
            )
            query = self.request.GET.copy()
            query.pop(self.export_trigger_param, None)
            back = self.request.path + (f"?{query.urlencode()}" if query else "")
            return HttpResponseRedirect(back)
