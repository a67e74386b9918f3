"""Set up a strategy from its one-pager: paste or upload, review what was read, confirm."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from priorities import services
from priorities.forms import OnePagerForm, OnePagerSourceForm, OnePagerYearFormSet
from priorities.onepager import FIELD_LABELS, OnePager, onepager_read
from priorities.selectors import organisation_match
from strategy_monitor.forms import form_add_error

from ._common import SetUpRequiredMixin

# The review form's fields that show each field of the reader.
REVIEW_FIELDS = {
    "title": ("title",),
    "partner": ("organisation", "new_organisation_name", "new_organisation_acronym"),
    "period": ("start_year", "end_year"),
    "file_number": ("file_number",),
    "responsible_unit": ("responsible_unit",),
    "finance_act_codes": ("finance_act_codes",),
    "desk_officer": ("desk_officer",),
    "financial_officer": ("financial_officer",),
    "budget": ("years",),
    "key_results": ("key_results",),
    "sdgs": ("sdgs",),
}
FORM_FIELDS = (
    "title",
    "slug",
    "is_draft",
    "start_year",
    "end_year",
    "file_number",
    "responsible_unit",
    "desk_officer",
    "financial_officer",
    "stated_commitment_total",
    "stated_disbursement_total",
)


def review_initial(page: OnePager) -> tuple[dict, list[dict]]:
    """Return the review form's and the year rows' initial values from what was read."""
    partner = organisation_match(name=page.partner_name, acronym=page.partner_acronym)
    period = f"-{page.start_year}-{page.end_year}" if page.start_year else ""
    initial = {
        "organisation": partner.pk if partner else None,
        "new_organisation_name": "" if partner else page.partner_name,
        "new_organisation_acronym": "" if partner else page.partner_acronym,
        "title": page.title,
        "slug": slugify(f"{page.partner_acronym or page.partner_name}{period}")[:60]
        if (page.partner_acronym or page.partner_name)
        else "",
        "is_draft": page.is_draft,
        "start_year": page.start_year,
        "end_year": page.end_year,
        "file_number": page.file_number,
        "responsible_unit": page.responsible_unit,
        "finance_act_codes": "\n".join(page.finance_act_codes),
        "desk_officer": page.desk_officer,
        "financial_officer": page.financial_officer,
        "stated_commitment_total": page.commitment_total,
        "stated_disbursement_total": page.disbursement_total,
        "key_results": "\n".join(page.key_results),
        "sdgs": page.sdgs,
        "unrecognised": ",".join(page.unrecognised),
    }
    years = {plan.year: plan for plan in page.years}
    if page.start_year and page.end_year and page.end_year >= page.start_year:
        # The whole period, so that a year the table leaves out can be filled in.
        years.update({year: years.get(year) for year in range(page.start_year, page.end_year + 1)})
    rows = [
        {
            "year": year,
            "commitment": plan.commitment if plan else None,
            "disbursement": plan.disbursement if plan else None,
        }
        for year, plan in sorted(years.items())
    ][:10]
    return initial, rows


class StrategyFromOnePagerView(SetUpRequiredMixin, TemplateView):
    """Read a one-pager into a set-up form; nothing is saved until the administrator confirms."""

    template_name = "priorities/strategy_onepager.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("source_form", OnePagerSourceForm())
        form = kwargs.get("form")
        if form is not None:
            unrecognised = form.unrecognised_fields
            kwargs["missing"] = {
                field for name in unrecognised for field in REVIEW_FIELDS.get(name, ())
            }
            kwargs["missing_labels"] = [
                str(FIELD_LABELS[name]) for name in REVIEW_FIELDS if name in unrecognised
            ]
            codes = [c for c in form["finance_act_codes"].value().splitlines() if c.strip()]
            kwargs["code_count"] = len(codes)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        source_form = OnePagerSourceForm(request.POST, request.FILES)
        if not source_form.is_valid():
            return self.render_to_response(self.get_context_data(source_form=source_form))
        page = onepager_read(source_form.cleaned_data["text"])
        initial, rows = review_initial(page)
        return self.render_to_response(
            self.get_context_data(
                form=OnePagerForm(initial=initial),
                years=OnePagerYearFormSet(initial=rows, prefix="years"),
            )
        )

    def confirm(self, request):
        form = OnePagerForm(request.POST)
        years = OnePagerYearFormSet(request.POST, prefix="years")
        if form.is_valid() and years.is_valid():
            data = form.cleaned_data
            amounts = {
                row["year"]: (row.get("commitment"), row.get("disbursement"))
                for row in years.cleaned_data
                if row
            }
            try:
                strategy, notes = services.strategy_create_from_onepager(
                    user=request.user,
                    organisation=data["organisation"],
                    new_organisation_name=data["new_organisation_name"],
                    new_organisation_acronym=data["new_organisation_acronym"],
                    new_organisation_iati_identifier=data["new_organisation_iati_identifier"],
                    finance_act_codes=data["finance_act_codes"],
                    amounts=amounts,
                    key_results=data["key_results"],
                    sdgs=data["sdgs"],
                    **{name: data[name] for name in FORM_FIELDS},
                )
            except ValidationError as error:
                self.refuse(form, error)
            else:
                areas = len(data["key_results"])
                messages.success(
                    request,
                    " ".join(
                        [
                            ngettext(
                                "Strategy “%(strategy)s” set up from its one-pager with the "
                                "years %(period)s and %(count)s priority area.",
                                "Strategy “%(strategy)s” set up from its one-pager with the "
                                "years %(period)s and %(count)s priority areas.",
                                areas,
                            )
                            % {"strategy": strategy, "period": strategy.period, "count": areas},
                            *notes,
                        ]
                    ),
                )
                return HttpResponseRedirect(
                    reverse("priorities:strategy_update", kwargs={"slug": strategy.slug})
                )
        return self.render_to_response(self.get_context_data(form=form, years=years))

    @staticmethod
    def refuse(form, error: ValidationError) -> None:
        """Put the service's refusal next to the field it concerns, the rest at the top."""
        if hasattr(error, "error_dict"):
            fields = dict(error.error_dict)
            if "finance_act_code" in fields:
                fields["finance_act_codes"] = fields.pop("finance_act_code")
            if "years" in fields:
                fields[NON_FIELD_ERRORS] = fields.pop("years") + fields.get(NON_FIELD_ERRORS, [])
            error = ValidationError(fields)
        form_add_error(form, error)
