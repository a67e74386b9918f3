"""The deployment's system check: openpyxl must read workbooks through defusedxml."""

import openpyxl.xml
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from strategy_monitor.checks import UNSAFE_XML_ID


def test_openpyxl_is_protected_by_defusedxml_here():
    assert openpyxl.xml.DEFUSEDXML is True
    assert UNSAFE_XML_ID not in {message.id for message in checks.run_checks()}


def test_check_fails_a_deployment_whose_openpyxl_is_unprotected(monkeypatch):
    # As where defusedxml is missing or OPENPYXL_DEFUSEDXML=False was set before the import.
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    errors = [message for message in checks.run_checks() if message.id == UNSAFE_XML_ID]
    assert len(errors) == 1
    assert errors[0].level == checks.ERROR
    assert "defusedxml" in errors[0].hint
    with pytest.raises(SystemCheckError, match="not protected against XML entity attacks"):
        call_command("check")
