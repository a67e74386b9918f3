"""Issued briefs: issue one, download it exactly as issued, withdraw it (administrators).

Issuing is for whoever keeps the strategy's meetings; downloading for everyone who sees the
strategy; withdrawing for administrators. The download streams the stored bytes as they are,
named by the brief's reference (with "-withdrawn" once withdrawn), and carries the file's
SHA-256 as its ETag, so a reader can tell that two copies are the same brief.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from priorities import permissions
from priorities.views import StrategyMixin
from reports import issued
from reports.issued_forms import IssuedBriefForm, IssuedBriefWithdrawForm
from reports.models import IssuedBrief
from strategy_monitor.views import ServiceFormView

logger = logging.getLogger(__name__)


class IssueAllowedMixin:
    """Let in only those who may issue the strategy's briefs; others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not issued.issued_brief_can_issue(
            request.user, self.strategy
        ):
            raise PermissionDenied(
                _("Only those who keep the strategy's meetings issue its briefs.")
            )
        return super().dispatch(request, *args, **kwargs)


class IssuedBriefIssueView(IssueAllowedMixin, StrategyMixin, ServiceFormView):
    """Show what will be issued, then issue it with one POST.

    `?year=`, `?meeting=` and `?annex=1` preset the form, as the meeting's page does; a
    meeting already held presets the date as of to the meeting's date.
    """

    form_class = IssuedBriefForm
    template_name = "reports/issued_form.html"

    @cached_property
    def preset_meeting(self):
        raw = self.request.GET.get("meeting", "")
        if not raw.isdigit():
            return None
        return self.strategy.meetings.filter(pk=int(raw)).first()

    def get_initial(self):
        today = timezone.localdate()
        years = list(self.strategy.years)
        initial = {"with_annex": self.request.GET.get("annex") == "1"}
        meeting = self.preset_meeting
        raw_year = self.request.GET.get("year", "")
        if raw_year.isdigit() and int(raw_year) in years:
            initial["year"] = int(raw_year)
        elif meeting is not None and meeting.held_on.year - 1 in years:
            # A consultation looks back on the year before it.
            initial["year"] = meeting.held_on.year - 1
        else:
            past = [year for year in years if year < today.year]
            initial["year"] = past[-1] if past else years[0]
        if meeting is not None:
            initial["meeting"] = meeting.pk
            if meeting.held_on <= today:
                initial["as_of"] = meeting.held_on
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return issued.brief_issue(
            strategy=self.strategy,
            year=data["year"],
            meeting=data["meeting"],
            as_of=data["as_of"],
            annex=data["with_annex"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _(
            "Issued brief %(reference)s. It is kept as issued and listed below; "
            "download it from the list."
        ) % {"reference": self.object.reference}

    def get_success_url(self) -> str:
        meeting = self.object.meeting
        if meeting is not None:
            return (
                reverse(
                    "engagement:meeting_detail",
                    kwargs={"slug": self.strategy.slug, "pk": meeting.pk},
                )
                + "#issued-briefs"
            )
        return self.strategy.get_absolute_url() + "#issued-briefs"


class IssuedBriefMixin(StrategyMixin):
    """Resolve the issued brief in the URL, within the strategy."""

    @cached_property
    def issued(self) -> IssuedBrief:
        try:
            return issued.issued_brief_get(strategy=self.strategy, pk=self.kwargs["pk"])
        except IssuedBrief.DoesNotExist as error:
            raise Http404("No such issued brief in this strategy.") from error


class IssuedBriefDownloadView(IssuedBriefMixin, View):
    """Send an issued brief exactly as it was stored, to someone who may see the strategy."""

    @cached_property
    def issued(self) -> IssuedBrief:
        # The brief and its strategy in one query, for a download asked for often; when there
        # is none, the strategy's own check answers first (403 to an outsider), then the 404.
        brief = issued.issued_brief_find(
            slug=self.kwargs["slug"], pk=self.kwargs["pk"], reader=self.request.user
        )
        if brief is None:
            return IssuedBriefMixin.issued.func(self)
        if not permissions.strategy_can_view(
            self.request.user, brief.strategy, on_team=brief.reader_on_team
        ):
            raise PermissionDenied(_("You are not on the team of this strategy."))
        self.__dict__["strategy"] = brief.strategy
        return brief

    def get(self, request, *args, **kwargs):
        brief = self.issued
        etag = f'"{brief.sha256}"'
        # A reader who holds the brief already (If-None-Match) is told so, without the bytes.
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified["ETag"] = etag
            not_modified["Cache-Control"] = "private"
            return not_modified
        storage, name = brief.file.storage, brief.file.name
        try:
            stored = storage.open(name, "rb")
        except (FileNotFoundError, OSError) as error:
            logger.error("Issued brief %s has no stored file %s.", brief.reference, name)
            raise Http404("The issued brief's file is missing from the store.") from error
        # Streamed from the storage (never a redirect to a blob's address), so the permission
        # check above is the only way to the file.
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=brief.download_name(),
            content_type="application/pdf",
        )
        response["Content-Length"] = str(brief.size)
        response["ETag"] = etag
        response["Cache-Control"] = "private"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class IssuedBriefWithdrawView(IssuedBriefMixin, ServiceFormView):
    """Withdraw an issued brief, for administrators, with the reason they give."""

    form_class = IssuedBriefWithdrawForm
    template_name = "reports/issued_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.strategy  # noqa: B018 # the strategy's own check first: 403 for outsiders
            if not issued.issued_brief_can_withdraw(request.user):
                raise PermissionDenied(_("Only administrators withdraw issued briefs."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(issued=self.issued, **kwargs)

    def save(self, form):
        return issued.issued_brief_withdraw(
            issued=self.issued,
            user=self.request.user,
            reason=form.cleaned_data["withdrawal_reason"],
        )

    def get_success_message(self) -> str:
        return _("Withdrew brief %(reference)s. It stays listed, marked withdrawn.") % {
            "reference": self.object.reference
        }

    def get_success_url(self) -> str:
        return self.strategy.get_absolute_url() + "#issued-briefs"


urlpatterns = [
    path(
        "strategies/<slug:slug>/issued-briefs/new/",
        IssuedBriefIssueView.as_view(),
        name="issuedbrief_issue",
    ),
    path(
        "strategies/<slug:slug>/issued-briefs/<int:pk>/download/",
        IssuedBriefDownloadView.as_view(),
        name="issuedbrief_download",
    ),
    path(
        "strategies/<slug:slug>/issued-briefs/<int:pk>/withdraw/",
        IssuedBriefWithdrawView.as_view(),
        name="issuedbrief_withdraw",
    ),
]
