"""The OpenAPI 3 schema: valid by drf-spectacular's own validation, without a warning."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning of the generator into an error, --validate checks the
    # result against the OpenAPI 3 specification.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/budget-lines/" in schema["paths"]


def test_schema_is_served_as_yaml_and_json_to_a_token(api_site):
    headers = bearer(api_site.extra.tokens["desk"])
    as_yaml = Client().get("/api/v1/schema/", **headers)
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "Strategy Monitor API"
    as_json = Client().get("/api/v1/schema/?format=json", **headers)
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["openapi"].startswith("3.")


def test_schema_needs_credentials():
    assert Client().get("/api/v1/schema/").status_code == 401


def test_schema_documents_money_as_decimal_strings_and_counts_as_integers(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    components = json.loads(target.read_text())["components"]["schemas"]
    year = components["BudgetYear"]["properties"]
    for name in ("planned", "approved", "committed", "disbursed"):
        assert year[name]["type"] == "string"
        assert year[name]["format"] == "decimal"
    assert year["commitment_count"]["type"] == "integer"
    assert components["Indicator"]["properties"]["illustrative"]["type"] == "boolean"


def test_schema_names_what_modified_since_compares(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    parameters = {p["name"]: p for p in paths["/api/v1/indicators/"]["get"]["parameters"]}
    assert "updated_at" in parameters["modified_since"]["description"]
    assert "yearly figures" in parameters["modified_since"]["description"]
    assert parameters["modified_since"]["schema"]["format"] == "date-time"
    assert parameters["year"]["schema"]["type"] == "integer"


def test_schema_names_the_refusals_of_each_operation(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    listed = paths["/api/v1/risks/"]["get"]["responses"]
    assert set(listed) == {"200", "401", "429"}
    assert listed["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PaginatedRiskList"
    )
    assert set(paths["/api/v1/risks/{id}/"]["get"]["responses"]) == {"200", "401", "404", "429"}
