"""The Danish contribution under a strategy as IATI 2.03 activity XML.

One activity per strategy: its identifier is the reporting organisation's reference followed by
the strategy's file number, with the characters IATI forbids in identifiers replaced; the file
number as printed follows as the ministry's own identifier (`other-identifier`, type A1).
Budgets per year come from the planned amounts (status 2, committed, once parliament has
approved every line for the year), planned disbursements from the front page's projected
disbursements, transactions from the recorded commitments (type 2) and disbursements (type 3),
each naming its budget line, aid type and earmarking category, and results from the priority
areas' indicators with their baselines, targets and actuals per year. The schema and the
codelists used to check the output are kept in `reports/iati/schema-2.03/`.
"""

from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from lxml import etree

from reports.builders import IatiActivity
from reports.builders.iati import IDENTIFIER_RULE, OTHER_IDENTIFIER_INTERNAL
from strategy_monitor.untrusted import xml_parser

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "iati" / "schema-2.03"
SCHEMA_FILE = SCHEMA_DIR / "iati-activities-schema.xsd"
CODELIST_DIR = SCHEMA_DIR / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# IATI's Language codelist is ISO 639-1, which is not kept with the schema: these are the
# codes the export may write.
LANGUAGES = frozenset({"en", "da"})
# Nor is the OtherIdentifierType codelist: this is the code the export writes.
OTHER_IDENTIFIER_TYPES = frozenset({OTHER_IDENTIFIER_INTERNAL})
ILLUSTRATIVE_NOTE = "Illustrative demo data, not a recorded fact."


class IatiInvalid(ValueError):
    """The XML does not validate against the IATI 2.03 schema."""


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _figure(value: Decimal) -> str:
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _clean(text: str) -> str:
    # XML 1.0 has no place for most control characters; keep tabs and line breaks.
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 32)


def _narrative(parent, text: str) -> None:
    etree.SubElement(parent, "narrative").text = _clean(text)


def _element(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(
        parent, tag, {key.replace("_", "-"): str(value) for key, value in attributes.items()}
    )
    if text:
        _narrative(element, text)
    return element


def _period(parent, tag: str, budget) -> None:
    element = etree.SubElement(parent, tag, {"type": "1"} if tag == "planned-disbursement" else {})
    if tag == "budget":
        element.set("type", "1")
        element.set("status", budget.status)
    etree.SubElement(element, "period-start", {"iso-date": budget.start.isoformat()})
    etree.SubElement(element, "period-end", {"iso-date": budget.end.isoformat()})
    value = etree.SubElement(element, "value", {"value-date": budget.start.isoformat()})
    value.text = _amount(budget.amount)


def activity_xml(activity: IatiActivity) -> bytes:
    """Return the IATI activity file for `activity`, as UTF-8 bytes."""
    generated = activity.generated_at.isoformat()
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": generated})
    node = etree.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": generated,
            XML_LANG: "en",
            "default-currency": activity.currency,
            "hierarchy": "1",
        },
    )
    etree.SubElement(node, "iati-identifier").text = activity.identifier
    _element(
        node,
        "reporting-org",
        activity.reporting_name,
        ref=activity.reporting_ref,
        type=activity.reporting_type,
    )
    _element(node, "title", activity.title)
    _element(node, "description", activity.description, type="1")
    _element(
        node,
        "participating-org",
        activity.reporting_name,
        ref=activity.reporting_ref,
        role="1",
        type=activity.reporting_type,
    )
    partner = {"role": "4", "type": "40"}
    if activity.partner_ref:
        partner["ref"] = activity.partner_ref
    _element(node, "participating-org", activity.partner_name, **partner)
    if activity.file_number:
        other = etree.SubElement(
            node,
            "other-identifier",
            {"ref": _clean(activity.file_number), "type": OTHER_IDENTIFIER_INTERNAL},
        )
        _element(other, "owner-org", activity.reporting_name, ref=activity.reporting_ref)
    etree.SubElement(node, "activity-status", {"code": activity.status})
    etree.SubElement(node, "activity-date", {"iso-date": activity.start.isoformat(), "type": "1"})
    if activity.actual_start:
        etree.SubElement(
            node, "activity-date", {"iso-date": activity.actual_start.isoformat(), "type": "2"}
        )
    etree.SubElement(node, "activity-date", {"iso-date": activity.end.isoformat(), "type": "3"})
    etree.SubElement(node, "collaboration-type", {"code": "2"})
    etree.SubElement(node, "default-flow-type", {"code": "10"})
    etree.SubElement(node, "default-finance-type", {"code": "110"})
    etree.SubElement(node, "default-tied-status", {"code": "5"})
    for budget in activity.budgets:
        _period(node, "budget", budget)
    for plan in activity.planned_disbursements:
        _period(node, "planned-disbursement", plan)
    for item in activity.transactions:
        transaction = etree.SubElement(node, "transaction")
        if item.reference:
            transaction.set("ref", _clean(item.reference))
        etree.SubElement(transaction, "transaction-type", {"code": item.type})
        etree.SubElement(transaction, "transaction-date", {"iso-date": item.date.isoformat()})
        value = etree.SubElement(transaction, "value", {"value-date": item.date.isoformat()})
        value.text = _amount(item.amount)
        description = etree.SubElement(transaction, "description")
        _narrative(description, item.description)
        if item.is_illustrative:
            _narrative(description, ILLUSTRATIVE_NOTE)
        _element(
            transaction,
            "provider-org",
            activity.reporting_name,
            ref=activity.reporting_ref,
            provider_activity_id=activity.identifier,
        )
        receiver = {"ref": activity.partner_ref} if activity.partner_ref else {}
        _element(transaction, "receiver-org", activity.partner_name, **receiver)
        etree.SubElement(transaction, "aid-type", {"code": item.aid_type, "vocabulary": "1"})
        if item.earmarking:
            etree.SubElement(transaction, "aid-type", {"code": item.earmarking, "vocabulary": "2"})
    for result in activity.results:
        element = etree.SubElement(node, "result", {"type": "1", "aggregation-status": "0"})
        _element(element, "title", result.title)
        if result.description:
            _element(element, "description", result.description)
        for indicator in result.indicators:
            item = etree.SubElement(
                element,
                "indicator",
                {"measure": indicator.measure, "ascending": "1" if indicator.ascending else "0"},
            )
            _element(item, "title", indicator.title or "Indicator")
            if indicator.description:
                _element(item, "description", indicator.description)
            if indicator.baseline_year:
                baseline = etree.SubElement(
                    item, "baseline", {"year": str(indicator.baseline_year)}
                )
                if indicator.baseline is not None:
                    baseline.set("value", _figure(indicator.baseline))
            for period in indicator.periods:
                block = etree.SubElement(item, "period")
                etree.SubElement(block, "period-start", {"iso-date": period.start.isoformat()})
                etree.SubElement(block, "period-end", {"iso-date": period.end.isoformat()})
                if period.target is not None:
                    etree.SubElement(block, "target", {"value": _figure(period.target)})
                if period.actual is not None:
                    etree.SubElement(block, "actual", {"value": _figure(period.actual)})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """Return the IATI 2.03 activity schema (parsed once)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser=xml_parser()))


def schema_errors(content: bytes) -> list[str]:
    """Return the schema's complaints about `content`, each with its line; none when valid."""
    document = etree.fromstring(content, parser=xml_parser())
    checker = schema()
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


@cache
def codelist(name: str) -> frozenset[str]:
    """Return the codes of the codelist `name` kept with the schema."""
    path = CODELIST_DIR / f"{name}.xml"
    return frozenset(code.text for code in etree.parse(str(path), parser=xml_parser()).iter("code"))


def codelist_errors(content: bytes) -> list[str]:
    """Return the codes in `content` that are not in their codelist (per mapping.xml).

    A mapped codelist that is not kept with the schema is reported too, so that no code goes
    unchecked.
    """
    document = etree.fromstring(content, parser=xml_parser())
    problems = []
    for mapping in etree.parse(str(CODELIST_DIR / "mapping.xml"), parser=xml_parser()).getroot():
        name = mapping.find("codelist").get("ref")
        path, condition = mapping.findtext("path"), mapping.findtext("condition")
        values = [
            value
            for value in document.xpath(path)
            if not condition or value.getparent().xpath(condition)
        ]
        if not values:
            continue
        if name == "Language":
            problems += [
                f"{path}: {value} is not a language" for value in values if value not in LANGUAGES
            ]
            continue
        if name == "OtherIdentifierType":
            problems += [
                f"{path}: {value} is not in {name}"
                for value in values
                if value not in OTHER_IDENTIFIER_TYPES
            ]
            continue
        if not (CODELIST_DIR / f"{name}.xml").exists():
            problems.append(f"{path}: codelist {name} is not kept with the schema")
            continue
        codes = codelist(name)
        problems += [
            f"{path}: {value} is not in {name}" for value in values if str(value) not in codes
        ]
    return problems


def identifier_errors(content: bytes) -> list[str]:
    """Return the activity identifiers in `content` that break IATI's rule for identifiers.

    The schema takes any string; IATI's rules forbid / & | ? and advise against spaces.
    """
    document = etree.fromstring(content, parser=xml_parser())
    return [
        f"iati-identifier {identifier!r} holds a character IATI does not allow"
        for identifier in document.xpath("//iati-activity/iati-identifier/text()")
        if not IDENTIFIER_RULE.match(identifier)
    ]


def iati_xml(activity: IatiActivity) -> bytes:
    """Return the activity as IATI XML; raise IatiInvalid if it does not validate."""
    content = activity_xml(activity)
    errors = schema_errors(content) + identifier_errors(content)
    if errors:
        raise IatiInvalid("; ".join(errors[:5]))
    return content
