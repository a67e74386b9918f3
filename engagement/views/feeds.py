"""Calendar feeds: the user's feed addresses, and the iCalendar feeds behind them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from engagement import permissions
from engagement.calendar import calendar_render
from engagement.models import SELECTOR_LENGTH, CalendarToken
from engagement.selectors import (
    actionpoint_url,
    calendar_items_for_strategy,
    calendar_items_for_user,
    feed_strategies,
    milestone_url,
)
from engagement.services import calendar_token_get, calendar_token_renew
from priorities.models import Strategy
from strategy_monitor.formats import person_name
from strategy_monitor.preferences.services import user_language


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


def feed_urls(request, token: CalendarToken, strategies) -> dict:
    """Return the feed addresses of a user: their own, and one per strategy."""
    own = request.build_absolute_uri(reverse("engagement:user_calendar", args=[token.token]))
    return {
        "own": own,
        "strategies": [
            (
                strategy,
                request.build_absolute_uri(
                    reverse("engagement:strategy_calendar", args=[strategy.slug, token.token])
                ),
            )
            for strategy in strategies
        ],
    }


class CalendarView(TemplateView):
    """Show the user their calendar feed addresses, with a button to renew them."""

    template_name = "engagement/calendar.html"

    def get_context_data(self, **kwargs):
        token = calendar_token_get(user=self.request.user)
        strategies = list(feed_strategies(user=self.request.user))
        return super().get_context_data(
            token=token, feeds=feed_urls(self.request, token, strategies), **kwargs
        )


class CalendarRenewView(View):
    """Replace the user's calendar token; the old addresses stop working."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        calendar_token_renew(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar addresses are renewed. The old ones no longer work: subscribe "
                "again with the new addresses below."
            ),
        )
        return HttpResponseRedirect(reverse("engagement:calendar"))


def calendar_user_for(token: str):
    """Return the active user whose calendar token is `token`, or raise 404."""
    selector, secret = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    found = (
        # With the user's settings: the feed is written in their language.
        CalendarToken.objects.select_related("user", "user__preference")
        .filter(selector=selector, user__is_active=True)
        .first()
    )
    if found is None or not secret or not found.matches(secret):
        raise Http404("No such calendar.")
    return found.user


class FeedMixin:
    """Answer with an iCalendar feed; the token in the address is the only credential."""

    def feed_response(self, body: bytes, filename: str) -> HttpResponse:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        # The language the feed is written in, which need not be the one the client asked for.
        response["Content-Language"] = translation.get_language()
        return response

    def render_feed(self, *, name: str, description: str, items, filename: str) -> HttpResponse:
        request = self.request
        body = calendar_render(
            name=name,
            description=description,
            items=items,
            milestone_url=lambda milestone: _absolute(
                request, milestone_url(milestone, milestone.strategy)
            ),
            meeting_url=lambda meeting: _absolute(
                request,
                reverse("engagement:meeting_detail", args=[meeting.strategy.slug, meeting.pk]),
            ),
            actionpoint_url=lambda point: _absolute(
                request, actionpoint_url(point, point.strategy)
            ),
        )
        return self.feed_response(body, filename)


@method_decorator(login_not_required, name="dispatch")
class UserCalendarFeedView(FeedMixin, View):
    """The user's own feed: their action points and milestones, their strategies' meetings."""

    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        user = calendar_user_for(token)
        # Written in the owner's language, not that of whichever calendar client fetches it.
        with translation.override(user_language(user)):
            return self._feed(user)

    def _feed(self, user) -> HttpResponse:
        name = person_name(user)
        return self.render_feed(
            name=_("Strategy Monitor: %(name)s") % {"name": name},
            description=_(
                "Your action points and milestones, and the meetings of your strategies."
            ),
            items=calendar_items_for_user(user=user),
            filename="strategy-monitor.ics",
        )


@method_decorator(login_not_required, name="dispatch")
class StrategyCalendarFeedView(FeedMixin, View):
    """A strategy's feed: its milestones, meetings and open action points."""

    http_method_names = ["get", "head"]

    def get(self, request, slug: str, token: str):
        user = calendar_user_for(token)
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is None or not permissions.strategy_can_view(user, strategy):
            # The same answer as a wrong token: the address reveals nothing.
            raise Http404("No such calendar.")
        # Written in the language of the token's owner, as their own feed is.
        with translation.override(user_language(user)):
            return self._feed(strategy)

    def _feed(self, strategy: Strategy) -> HttpResponse:
        return self.render_feed(
            name=_("Strategy Monitor: %(name)s") % {"name": strategy.title},
            description=_("Milestones, meetings and open action points of %(title)s.")
            % {"title": strategy.title},
            items=calendar_items_for_strategy(strategy=strategy),
            filename=f"{strategy.slug}.ics",
        )
