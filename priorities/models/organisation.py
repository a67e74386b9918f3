"""Partner organisations, with their key figures and their offices."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from priorities.choices import FigureUnit, OfficeFunction, OfficeKind
from strategy_monitor.models import (
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import (
    DOCUMENT_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    text_length_checks,
    validate_single_line,
)

from ._common import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE

# An IATI organisation identifier: a registration agency prefix and the organisation's number,
# with no spaces or characters IATI forbids in identifiers.
IATI_IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9._]+)+$")


def validate_iati_identifier(value: str) -> None:
    """Refuse an IATI organisation identifier that is not agency prefix and number."""
    if value and not IATI_IDENTIFIER_RE.match(value):
        raise ValidationError(
            _(
                "Enter the identifier as the IATI registry lists it, e.g. XM-DAC-41121: "
                "letters, digits and hyphens, no spaces."
            ),
            code="invalid_iati_identifier",
        )


class Organisation(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A multilateral partner that Denmark funds through an organisation strategy."""

    NATURAL_KEY = ("slug",)

    name = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], unique=True
    )
    acronym = models.CharField(max_length=30, validators=[validate_single_line])
    slug = models.SlugField(max_length=50, unique=True)
    mandate = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    established = models.PositiveSmallIntegerField(null=True, blank=True)
    headquarters = models.CharField(max_length=100, validators=[validate_single_line], blank=True)
    head_title = models.CharField(max_length=100, validators=[validate_single_line], blank=True)
    head_name = models.CharField(max_length=100, validators=[validate_single_line], blank=True)
    staff = models.PositiveIntegerField(null=True, blank=True, help_text=_("Staff worldwide."))
    country_presence = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Number of countries with a presence.")
    )
    member_states = models.PositiveSmallIntegerField(null=True, blank=True)
    denmark_member_since = models.PositiveSmallIntegerField(null=True, blank=True)
    un_system_since = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Year of admission into the UN system.")
    )
    governance = limited_text_field(limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True)
    iati_identifier = models.CharField(
        "IATI organisation identifier",
        max_length=60,
        blank=True,
        validators=[validate_single_line, validate_iati_identifier],
        help_text=_('As the IATI organisation registry lists it, e.g. "XM-DAC-41121".'),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            *text_length_checks("mandate", "governance", limit=DOCUMENT_TEXT_MAX_LENGTH),
            models.CheckConstraint(
                condition=Q(denmark_member_since__isnull=True)
                | Q(established__isnull=True)
                | Q(denmark_member_since__gte=F("established")),
                name="organisation_member_after_established",
                violation_error_message=_(
                    "Denmark cannot have joined before the organisation existed."
                ),
                violation_error_code="member_before_established",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.name


class KeyFigure(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """State one dated figure about an organisation, as a strategy document gives it."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_figures"
    )
    key = models.SlugField(max_length=80, help_text=_("Stable identifier, e.g. expenditure-2021."))
    label = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    value = models.DecimalField(max_digits=18, decimal_places=2)
    unit = models.CharField(max_length=10, choices=FigureUnit.choices)
    qualifier = models.CharField(
        max_length=40,
        validators=[validate_single_line],
        blank=True,
        help_text=_('How the document qualifies it: "nearly", "around".'),
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The year the figure describes, where stated.")
    )
    note = limited_text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "key"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="keyfigure_unique_key",
                violation_error_message=_("The organisation already has a figure with that key."),
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="keyfigure_year_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
                violation_error_code="outside_years",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Office(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """An office of the partner: regional, liaison, UN or country office with its head."""

    NATURAL_KEY = ("organisation__slug", "key")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offices")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)
    name = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        help_text=_("Country, or city of a regional office."),
    )
    region = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        blank=True,
        help_text=_("Region a regional office covers."),
    )
    regional_office = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="country_offices",
        limit_choices_to={"kind": OfficeKind.REGIONAL},
    )
    head = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        blank=True,
        help_text=_("Chief of mission as printed."),
    )
    is_officer_in_charge = models.BooleanField(default=False, help_text=_("OIC"))
    is_non_resident = models.BooleanField(default=False)
    is_accreditation_pending = models.BooleanField(default=False, help_text=_("AP"))
    is_vacant = models.BooleanField(default=False)
    covered_by = models.CharField(max_length=120, validators=[validate_single_line], blank=True)
    function = models.CharField(
        max_length=30, choices=OfficeFunction.choices, blank=True, default=OfficeFunction.NONE
    )
    note = models.CharField(max_length=300, validators=[validate_single_line], blank=True)
    as_of = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="office_unique_key",
                violation_error_message=_("The organisation already has an office with that key."),
                violation_error_code="duplicate_key",
            ),
            models.CheckConstraint(
                condition=~Q(regional_office=F("id")),
                name="office_not_own_region",
                violation_error_message=_("An office cannot report to itself."),
                violation_error_code="own_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Let only country offices report to a regional office of the same organisation."""
        if self.regional_office_id:
            if self.kind != OfficeKind.COUNTRY:
                raise ValidationError(
                    {
                        "regional_office": ValidationError(
                            _("Only a country office reports to a regional office."),
                            code="not_country_office",
                        )
                    }
                )
            if self.regional_office.organisation_id != self.organisation_id:
                raise ValidationError(
                    {
                        "regional_office": ValidationError(
                            _("The regional office belongs to another organisation."),
                            code="other_organisation",
                        )
                    }
                )
