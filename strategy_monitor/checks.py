"""System checks of the deployment: `manage.py check` reports them before anything is served."""

from django.core.checks import Error, register

UNSAFE_XML_ID = "strategy_monitor.E301"


@register()
def openpyxl_xml_protected_check(app_configs, **kwargs) -> list[Error]:
    """Refuse a deployment whose openpyxl would expand XML entities of an uploaded workbook.

    openpyxl parses a workbook's sheets through defusedxml only when defusedxml is importable
    and OPENPYXL_DEFUSEDXML is not set to False; without it an imported workbook could expand a
    "billion laughs" bomb or read a server file through an external entity.
    """
    import openpyxl.xml
    import openpyxl.xml.functions

    iterparse_module = getattr(openpyxl.xml.functions.iterparse, "__module__", "")
    if openpyxl.xml.DEFUSEDXML and iterparse_module.startswith("defusedxml"):
        return []
    return [
        Error(
            "openpyxl is not protected against XML entity attacks: uploaded workbooks could "
            "expand entity bombs or read files of the server.",
            hint="Install defusedxml (pinned in pyproject.toml) and leave OPENPYXL_DEFUSEDXML "
            "unset.",
            id=UNSAFE_XML_ID,
        )
    ]
