"""Form helpers shared by every app."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def form_add_error(form, error: ValidationError) -> None:
    """Copy a service's ValidationError onto `form`, next to the fields it names.

    Errors on fields the form does not show go to the top of the form, so that no message is
    lost.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def error_codes(error: ValidationError) -> set[str]:
    """Return every code in `error`, whether it holds a list or a dict of errors."""
    if hasattr(error, "error_dict"):
        return {item.code for errors in error.error_dict.values() for item in errors}
    return {item.code for item in error.error_list}


def form_values(form, names) -> dict:
    """Return the cleaned values of the form's fields among `names`, for a service's keywords."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
