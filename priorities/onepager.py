"""Read a Danida organisation strategy's front page (the one-pager) into plain values.

The one-pager follows a published format: key results, then a box of labelled fields (File No.,
Responsible Unit, a "Million DKK" table of commitment and projected annual disbursement by year
with a total, Duration of strategy, Finance Act code(s), Desk officer, Financial officer), the
relevant SDGs and the title on the cover. Copies of it arrive pasted from Word or a PDF, as
Markdown, with tabs or spaces between cells and with <b> tags left in, and the fields may come
in another order.

The reader is pure: text in, an `OnePager` out. It never guesses. A field it does not find, or
finds in a shape it cannot read without doubt, stays empty and is named in `unrecognised`, so
that the set-up form highlights it for the administrator to fill in.

Amounts are printed in DKK million and kept as exact DKK. A dot or a comma followed by exactly
three digits separates thousands (amounts in DKK million are never printed to three decimals);
otherwise it marks the decimals, so "47,5", "47.5", "1.234,5" and "1,234.5" all read as
intended, whichever language the document is in.
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)

# Field names, as `OnePager.unrecognised` lists them and the set-up form names its fields.
FIELDS = (
    "title",
    "partner",
    "period",
    "file_number",
    "responsible_unit",
    "finance_act_codes",
    "desk_officer",
    "financial_officer",
    "budget",
    "key_results",
    "sdgs",
)
FIELD_LABELS = {
    "title": _("title"),
    "partner": _("partner"),
    "period": _("duration of the strategy"),
    "file_number": _("file number"),
    "responsible_unit": _("responsible unit"),
    "finance_act_codes": _("Finance Act code"),
    "desk_officer": _("desk officer"),
    "financial_officer": _("financial officer"),
    "budget": _("commitment and projected disbursement by year"),
    "key_results": _("key results"),
    "sdgs": _("relevant SDGs"),
}


@dataclass(frozen=True)
class YearPlan:
    """One year of the front-page table: planned commitment and projected disbursement, DKK."""

    year: int
    commitment: Decimal | None = None
    disbursement: Decimal | None = None


@dataclass
class OnePager:
    """What a one-pager states; a field not found is empty and named in `unrecognised`."""

    title: str = ""
    is_draft: bool = False
    partner_name: str = ""
    partner_acronym: str = ""
    start_year: int | None = None
    end_year: int | None = None
    file_number: str = ""
    responsible_unit: str = ""
    finance_act_codes: list[str] = field(default_factory=list)
    desk_officer: str = ""
    financial_officer: str = ""
    years: list[YearPlan] = field(default_factory=list)
    commitment_total: Decimal | None = None
    disbursement_total: Decimal | None = None
    key_results: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)

    @property
    def unrecognised_labels(self) -> list[str]:
        """Return the unrecognised fields as a reader would name them."""
        return [str(FIELD_LABELS[name]) for name in self.unrecognised]

    def year_plan(self, year: int) -> YearPlan | None:
        """Return the table's figures for `year`, or None if the table has no such column."""
        return next((plan for plan in self.years if plan.year == year), None)


# --- Cleaning the text --------------------------------------------------------------------------

TAG = re.compile(r"</?[a-zA-Z][^>]*>")
CELL_SPLIT = re.compile(r"\t+|\s*\|\s*| {2,}")
BULLET = re.compile(r"^(?:[-•*▪●◦–]|\d{1,2}[.)]|[a-h][.)])\s+")
HEADING_MARK = re.compile(r"^#{1,6}\s*")


def _clean_line(line: str) -> str:
    """Return a line without tags, Markdown emphasis or heading marks; tabs are kept."""
    line = html.unescape(TAG.sub("", line)).replace("\xa0", " ")
    line = line.replace("**", "").replace("__", "")
    line = HEADING_MARK.sub("", line.strip(" "))
    if line.startswith("|"):
        # A Markdown table row: its cells, tab-separated like a copied Word table.
        line = "\t".join(cell.strip() for cell in line.strip("| ").split("|"))
    # Emphasis with one star or underscore around a whole cell: *Danida*, _Million DKK_.
    line = re.sub(r"(?<![\w*])\*(\S[^*\t]*?)\*(?![\w*])", r"\1", line)
    return line.rstrip()


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_clean_line(line) for line in text.split("\n")]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in CELL_SPLIT.split(line) if cell.strip()]


def _spaced(value: str) -> str:
    return " ".join(value.split())


# --- Labelled fields ----------------------------------------------------------------------------

SEP = r"(?:\s*[:.]\s*|\t+|\s+|$)"
LABELS = {
    "file_number": r"(?:file|j\.?\s*nr|journal)\s*(?:no|nr|number)?\.?",
    "responsible_unit": r"responsible\s+(?:unit|department)",
    "period": r"(?:duration(?:\s+of\s+(?:the\s+)?strategy)?|strategy\s+period|period)",
    "finance_act_codes": r"finance\s+act\s+codes?(?:\(s\))?\.?|fl[-\s]*(?:konto|code)s?",
    "desk_officer": r"desk\s+officers?(?:\(s\))?",
    "financial_officer": r"financ(?:ial|e)\s+officers?(?:\(s\))?",
    "key_results": r"key\s+results?",
    "sdgs": r"(?:relevant\s+)?sdgs?(?:\s+relevant\s+for\s+(?:the\s+)?programme)?"
    r"|sustainable\s+development\s+goals",
}
LABEL_PATTERNS = {
    name: re.compile(rf"^\s*(?:{pattern}){SEP}(?P<rest>.*)$", re.IGNORECASE)
    for name, pattern in LABELS.items()
}
# A line that starts another field or section ends the one before.
SECTION_START = re.compile(
    r"^\s*(?:"
    + "|".join(LABELS.values())
    + r"|justification|how\s+will|risks?\b|danish\s+involvement|strategic\s+objective|"
    r"priority\s+areas|core\s+information|introduction|commitment|projected|million|mio\.?"
    r"|total\b)",
    re.IGNORECASE,
)


def _label_value(lines: list[str], name: str) -> tuple[int, str] | None:
    """Return the line index and value of the first line labelled `name`, or None.

    A label alone on its line (a table cell read as a paragraph) takes the next line that is
    not itself a label.
    """
    pattern = LABEL_PATTERNS[name]
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if not match:
            continue
        rest = match.group("rest").strip()
        if rest.startswith(":"):
            rest = rest[1:].strip()
        if rest:
            return index, rest
        for following in lines[index + 1 : index + 3]:
            if following.strip():
                if SECTION_START.match(following):
                    break
                return index + 1, following.strip()
        return index, ""
    return None


def _single_value(lines: list[str], name: str) -> str:
    found = _label_value(lines, name)
    if found is None:
        return ""
    cells = _cells(found[1])
    return _spaced(" ".join(cells)) if cells else ""


YEAR_SPAN = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|—|to|til)\s*((?:19|20)\d{2})\b")


def _period(lines: list[str]) -> tuple[int | None, int | None]:
    found = _label_value(lines, "period")
    if found is not None:
        match = YEAR_SPAN.search(found[1])
        if match:
            return int(match.group(1)), int(match.group(2))
    return None, None


FINANCE_ACT_CODE = re.compile(r"§?\s*\d{2}(?:\.\d{2}){2,4}(?:\.\d{1,3})?")


def _finance_act_codes(lines: list[str]) -> list[str]:
    found = _label_value(lines, "finance_act_codes")
    if found is None:
        return []
    index, value = found
    codes = [code.replace(" ", "") for code in FINANCE_ACT_CODE.findall(value)]
    # Further codes may each sit on a line of their own below the first.
    for following in lines[index + 1 :]:
        rest = following.strip()
        if not rest:
            break
        rest = re.sub(r"^(?:og|and|,|;|&)\s*", "", rest, flags=re.IGNORECASE)
        more = FINANCE_ACT_CODE.findall(rest)
        leftover = FINANCE_ACT_CODE.sub("", rest)
        if not more or re.sub(r"[\s,;&]|\bog\b|\band\b", "", leftover, flags=re.IGNORECASE):
            break
        codes += [code.replace(" ", "") for code in more]
    return list(dict.fromkeys(codes))


# --- The table of commitments and disbursements -----------------------------------------------

NUMBER = re.compile(r"^\(?-?\d[\d.,]*\)?$")
DASH = re.compile(r"^[-–—]$")
YEAR = re.compile(r"^(?:19|20)\d{2}$")
HEADER_WORDS = re.compile(
    r"million|mio\.?|mill\.?|dkk|kr\.?|total|i\s+alt|year|år|in|of|,|1[.,]000|thousands?",
    re.IGNORECASE,
)
COMMITMENT_ROW = re.compile(r"^\s*(?:planned\s+)?(?:commitments?|tilsagn)\b\.?", re.IGNORECASE)
DISBURSEMENT_ROW = re.compile(
    r"^\s*(?:projected\s+)?(?:ann(?:ual|\.)?\s*)?(?:disb(?:ursements?|\.)?|udbetaling(?:er)?)"
    r"(?:\s*\([^)]*\))?\.?",
    re.IGNORECASE,
)


def amount_parse(text: str) -> Decimal | None:
    """Return the number printed as `text`, whatever the decimal mark, or None if it is none.

    A dot or comma followed by exactly three digits separates thousands; any other marks the
    decimals. A number printed with both keeps the last as the decimal mark.
    """
    text = text.strip().strip("()").replace(" ", "").replace("\u2009", "")
    if not text or not re.fullmatch(r"-?\d[\d.,]*", text) or text[-1] in ".,":
        return None
    marks = [ch for ch in text if ch in ".,"]
    if not marks:
        digits = text
    elif len(set(marks)) == 2:
        decimal_mark = text[max(text.rfind("."), text.rfind(","))]
        thousands = "," if decimal_mark == "." else "."
        if text.count(decimal_mark) > 1:
            return None
        digits = text.replace(thousands, "").replace(decimal_mark, ".")
    else:
        mark = marks[0]
        groups = text.split(mark)
        if len(groups) > 2 or len(groups[-1]) == 3:
            if not all(len(group) == 3 for group in groups[1:]) or len(groups[0]) > 3:
                return None
            digits = "".join(groups)
        else:
            digits = text.replace(mark, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _header_years(line: str) -> tuple[list[int], Decimal, bool] | None:
    """Return the years, the unit and whether a total column follows, if `line` heads a table."""
    tokens = re.findall(r"(?:19|20)\d{2}|[^\s\t|]+", line)
    years = [int(token) for token in tokens if YEAR.match(token)]
    others = " ".join(token for token in tokens if not YEAR.match(token))
    if not years or HEADER_WORDS.sub("", others).strip(" ()[]:;-"):
        return None
    if years != list(range(years[0], years[0] + len(years))):
        return None
    lowered = line.lower()
    unit = MILLION
    if re.search(r"1[.,]000|thousand|t\.\s*kr", lowered):
        unit = THOUSAND
    elif "dkk" in lowered and not re.search(r"mill|mio", lowered):
        unit = Decimal(1)
    return years, unit, bool(re.search(r"total|i\s+alt", lowered))


def _row_values(rest: str) -> list[Decimal | None] | None:
    """Return the row's figures in order (a dash is none), or None if a cell is not a figure."""
    values: list[Decimal | None] = []
    for token in re.split(r"[\t|]+|\s+", rest.strip()):
        if not token:
            continue
        if DASH.match(token):
            values.append(None)
            continue
        if not NUMBER.match(token):
            return None
        amount = amount_parse(token)
        if amount is None:
            return None
        values.append(amount)
    return values


@dataclass
class _Table:
    years: list[int]
    commitments: dict[int, Decimal | None]
    disbursements: dict[int, Decimal | None]
    commitment_total: Decimal | None = None
    disbursement_total: Decimal | None = None
    complete: bool = True


def _table(lines: list[str]) -> _Table | None:
    """Read the year table: a header of years, then commitment and disbursement rows."""
    for index, line in enumerate(lines):
        header = _header_years(line)
        if header is None:
            continue
        years, unit, _ = header
        table = _Table(years, {}, {})
        found = False
        for row in lines[index + 1 : index + 6]:
            for pattern, target, total in (
                (COMMITMENT_ROW, table.commitments, "commitment_total"),
                (DISBURSEMENT_ROW, table.disbursements, "disbursement_total"),
            ):
                match = pattern.match(row)
                if not match or target:
                    continue
                found = True
                values = _row_values(row[match.end() :])
                if values is None or len(values) not in (len(years), len(years) + 1):
                    table.complete = False
                    break
                for year, value in zip(years, values, strict=False):
                    target[year] = None if value is None else value * unit
                if len(values) == len(years) + 1 and values[-1] is not None:
                    setattr(table, total, values[-1] * unit)
                break
        if found:
            if not table.commitments and not table.disbursements:
                table.complete = False
            return table
    return None


# --- Lists: key results and SDGs ------------------------------------------------------------


def _key_results(lines: list[str]) -> list[str]:
    found = _label_value(lines, "key_results")
    if found is None:
        return []
    index = next(i for i, line in enumerate(lines) if LABEL_PATTERNS["key_results"].match(line))
    results: list[str] = []
    bulleted = False
    for line in lines[index + 1 :]:
        text = line.strip()
        if not text:
            if results and not bulleted:
                break
            continue
        marker = BULLET.match(text)
        if marker:
            bulleted = True
            results.append(_spaced(text[marker.end() :]))
            continue
        if SECTION_START.match(text) or text.endswith(":") or (bulleted and results):
            break
        results.append(_spaced(text))
    return [result for result in results if result]


SDG_NUMBER = re.compile(r"\b(?:SDG|goal|mål)?\s*#?(\d{1,2})\b", re.IGNORECASE)


def _sdgs(lines: list[str]) -> list[int]:
    pattern = LABEL_PATTERNS["sdgs"]
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if not match:
            continue
        chunks = [match.group("rest")]
        for following in lines[index + 1 : index + 8]:
            text = following.strip()
            starts_other = SECTION_START.match(text) and not pattern.match(text)
            if text and (starts_other or text.endswith(":")):
                break
            if text and not re.search(r"\d", text) and len(text) > 40:
                break
            chunks.append(text)
        goals = [int(number) for chunk in chunks for number in SDG_NUMBER.findall(chunk)]
        goals = [goal for goal in goals if 1 <= goal <= 17]
        return sorted(dict.fromkeys(goals))
    return []


# --- Title and partner --------------------------------------------------------------------------

STRATEGY_TITLE = re.compile(r"\bstrategy\b.*\b(?:for|with)\b", re.IGNORECASE)
FORMAL_TITLE = re.compile(
    r"strategy\s+for\s+(?:denmark'?s|the\s+danish)\s+\w+\s+with\s+(?P<partner>.+?)"
    r"(?:\s+(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2})?\s*$",
    re.IGNORECASE,
)
SHORT_TITLE = re.compile(
    r"strategy\s+for\s+(?:the\s+)?(?P<partner>[A-Z][A-Za-z-]{1,11})(?:\s+(?:19|20)\d{2}.*)?$",
    re.IGNORECASE,
)
ACRONYM_IN_BRACKETS = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[A-Z][A-Za-z-]{1,11})\)$")
DANGLING = re.compile(r"\b(?:with|for|the|and|of|to|on|in|'s)\s*$", re.IGNORECASE)


def _title_candidates(lines: list[str]) -> list[str]:
    """Return each line naming a strategy, joined with the lines its title runs on to."""
    candidates = []
    for index, line in enumerate(lines):
        text = _spaced(line)
        if not STRATEGY_TITLE.search(text) or len(text) > 200 or text.endswith("."):
            continue
        for following in lines[index + 1 : index + 4]:
            more = _spaced(following)
            if not more:
                break
            if DANGLING.search(text) or YEAR_SPAN.fullmatch(more):
                text = f"{text} {more}"
                continue
            break
        candidates.append(text)
    return candidates


def _title_and_partner(page: OnePager, lines: list[str]) -> None:
    candidates = _title_candidates(lines)
    formal = [text for text in candidates if FORMAL_TITLE.search(text)]
    title = (formal or candidates or [""])[0]
    if title.lower().startswith("draft "):
        page.is_draft = True
        title = title[len("draft ") :]
        title = title[0].upper() + title[1:]
    page.title = title[:200]
    for text in formal:
        partner = FORMAL_TITLE.search(text).group("partner").strip(" ,.")
        # "… engagement with the Office for …": the article belongs to the sentence, not the name.
        partner = re.sub(r"^the\s+", "", partner, flags=re.IGNORECASE)
        bracketed = ACRONYM_IN_BRACKETS.match(partner)
        if bracketed:
            page.partner_name = bracketed.group("name")
            page.partner_acronym = bracketed.group("acronym")
        else:
            page.partner_name = partner
        break
    if not page.partner_acronym:
        for text in candidates:
            short = SHORT_TITLE.search(text)
            if short and short.group("partner").isupper():
                page.partner_acronym = short.group("partner")
                break
    if page.partner_acronym and not page.partner_name:
        page.partner_name = ""


# --- Reading ----------------------------------------------------------------------------------


def onepager_read(text: str) -> OnePager:
    """Return what the one-pager `text` states; fields not found are listed as unrecognised."""
    lines = _lines(text)
    page = OnePager()
    _title_and_partner(page, lines)
    if page.start_year is None:
        page.start_year, page.end_year = _period(lines)
    if page.start_year is None:
        for candidate in _title_candidates(lines):
            match = YEAR_SPAN.search(candidate)
            if match:
                page.start_year, page.end_year = int(match.group(1)), int(match.group(2))
                break
    page.file_number = _single_value(lines, "file_number")[:40]
    page.responsible_unit = _single_value(lines, "responsible_unit")[:200]
    page.desk_officer = _single_value(lines, "desk_officer")[:120]
    page.financial_officer = _single_value(lines, "financial_officer")[:120]
    page.finance_act_codes = _finance_act_codes(lines)
    table = _table(lines)
    if table is not None and table.complete:
        page.years = [
            YearPlan(year, table.commitments.get(year), table.disbursements.get(year))
            for year in table.years
        ]
        page.commitment_total = table.commitment_total
        page.disbursement_total = table.disbursement_total
    page.key_results = _key_results(lines)
    page.sdgs = _sdgs(lines)
    present = {
        "title": page.title,
        "partner": page.partner_name or page.partner_acronym,
        "period": page.start_year,
        "file_number": page.file_number,
        "responsible_unit": page.responsible_unit,
        "finance_act_codes": page.finance_act_codes,
        "desk_officer": page.desk_officer,
        "financial_officer": page.financial_officer,
        "budget": page.years,
        "key_results": page.key_results,
        "sdgs": page.sdgs,
    }
    page.unrecognised = [name for name in FIELDS if not present[name]]
    return page
