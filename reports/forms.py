"""Forms of the exports: the workbook upload."""

from django import forms
from django.core.exceptions import ValidationError

from reports.importers import MAX_UPLOAD_BYTES


class WorkbookImportForm(forms.Form):
    """Upload a monitoring workbook to create or update a strategy."""

    file = forms.FileField(
        label="Workbook (.xlsx)",
        help_text="A workbook of the layout the workbook export writes, at most "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    check_only = forms.BooleanField(
        label="Only check the workbook; change nothing",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
                code="too_large",
            )
        return upload
