"""Search across the strategies a user may see: one query per kind of record, grouped by kind.

Strategies, priority areas, indicators, risks, meetings, action points and milestones are
searched by the words of their titles and texts. On PostgreSQL the words are matched with its
full-text search (the 'simple' configuration, which neither stems nor drops words, so Danish
and English read alike); on SQLite every word must appear, in any case, in one of the fields.

Key messages are left out: they are Denmark's internal lines for a meeting and are shown only
on the meeting's own pages, to its team. Leaving them out keeps the results the same for every
reader of a strategy.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engagement.models import ActionPoint, Meeting, Milestone
from priorities.models import Indicator, PriorityArea, Strategy
from priorities.selectors import strategy_label, visible_strategy_ids
from risks.models import Risk

# Results shown per kind; the count says how many more there are.
RESULTS_PER_KIND = 10
QUERY_MAX_LENGTH = 200
# Words beyond these are ignored: a query is a few words, not a paragraph.
MAX_WORDS = 8
EXCERPT_LENGTH = 180


@dataclass(frozen=True)
class SearchHit:
    """One record found: where it is, what it is called, and the words around the match."""

    title: str
    url: str
    strategy: str
    excerpt: SafeString


@dataclass(frozen=True)
class SearchGroup:
    """The records of one kind that match, the first few of them, and how many in all."""

    key: str
    label: str
    hits: tuple[SearchHit, ...]
    total: int

    @property
    def more(self) -> int:
        """Return how many matches are not shown."""
        return self.total - len(self.hits)


@dataclass(frozen=True)
class SearchResults:
    """What a search found, kind by kind, for the words it was given."""

    query: str
    words: tuple[str, ...]
    groups: tuple[SearchGroup, ...]

    @property
    def total(self) -> int:
        """Return the number of records found, of every kind."""
        return sum(group.total for group in self.groups)


@dataclass(frozen=True)
class Kind:
    """How one kind of record is searched and shown."""

    key: str
    label: str
    model: type
    fields: tuple[str, ...]  # searched, the title first
    strategy_path: str  # from the record to its strategy
    related: tuple[str, ...]
    title: Callable[[object], str]
    url: Callable[[object], str]


def _area_url(area: PriorityArea, strategy: Strategy) -> str:
    if area.number is not None:
        return reverse("priorities:priorityarea_detail", args=[strategy.slug, area.number])
    return reverse("priorities:priorityarea_detail_by_slug", args=[strategy.slug, area.slug])


def _action_point_url(point: ActionPoint) -> str:
    if point.meeting_id:
        return (
            reverse("engagement:meeting_detail", args=[point.strategy.slug, point.meeting_id])
            + f"#action-{point.pk}"
        )
    return reverse("engagement:actionpoint_list", args=[point.strategy.slug])


KINDS: tuple[Kind, ...] = (
    Kind(
        key="strategies",
        label=gettext_lazy("Strategies"),
        model=Strategy,
        fields=("title", "introduction", "overall_objective", "objective_text"),
        strategy_path="",
        related=("organisation",),
        title=lambda strategy: strategy.title,
        url=lambda strategy: reverse("priorities:strategy_detail", args=[strategy.slug]),
    ),
    Kind(
        key="priority_areas",
        label=gettext_lazy("Priority areas"),
        model=PriorityArea,
        fields=("title", "front_page_title", "key_result", "text"),
        strategy_path="strategy",
        related=("strategy__organisation",),
        title=lambda area: area.label,
        url=lambda area: _area_url(area, area.strategy),
    ),
    Kind(
        key="indicators",
        label=gettext_lazy("Indicators"),
        model=Indicator,
        fields=("title", "code", "unit"),
        strategy_path="priority_area__strategy",
        related=("priority_area__strategy__organisation",),
        title=lambda indicator: " ".join(filter(None, [indicator.code, indicator.title])),
        url=lambda indicator: (
            _area_url(indicator.priority_area, indicator.priority_area.strategy)
            + "#indicators-heading"
        ),
    ),
    Kind(
        key="risks",
        label=gettext_lazy("Risks"),
        model=Risk,
        fields=("title", "description", "response"),
        strategy_path="strategy",
        related=("strategy__organisation",),
        title=lambda risk: risk.title,
        url=lambda risk: reverse("risks:risk_detail", args=[risk.strategy.slug, risk.pk]),
    ),
    Kind(
        key="meetings",
        label=gettext_lazy("Meetings"),
        model=Meeting,
        fields=("title", "location", "summary", "minutes"),
        strategy_path="strategy",
        related=("strategy__organisation",),
        title=lambda meeting: f"{meeting.title} ({date_format(meeting.held_on, 'DATE_FORMAT')})",
        url=lambda meeting: reverse(
            "engagement:meeting_detail", args=[meeting.strategy.slug, meeting.pk]
        ),
    ),
    Kind(
        key="action_points",
        label=gettext_lazy("Action points"),
        model=ActionPoint,
        fields=("text", "closing_note"),
        strategy_path="strategy",
        related=("strategy__organisation",),
        title=lambda point: point.text,
        url=_action_point_url,
    ),
    Kind(
        key="milestones",
        label=gettext_lazy("Milestones"),
        model=Milestone,
        fields=("title", "note"),
        strategy_path="strategy",
        related=("strategy__organisation",),
        title=lambda milestone: (
            _("%(title)s (due %(date)s)")
            % {"title": milestone.title, "date": date_format(milestone.due_on, "DATE_FORMAT")}
        ),
        url=lambda milestone: reverse("engagement:milestone_list", args=[milestone.strategy.slug]),
    ),
)


def search_words(query: str) -> tuple[str, ...]:
    """Return the distinct words of `query`, in order, at most MAX_WORDS of them."""
    words: list[str] = []
    for word in query[:QUERY_MAX_LENGTH].split():
        if word.casefold() not in (known.casefold() for known in words):
            words.append(word)
    return tuple(words[:MAX_WORDS])


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _matching(kind: Kind, words: tuple[str, ...]) -> QuerySet:
    queryset = kind.model.objects.all()
    if _is_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*kind.fields, config="simple")
        query = SearchQuery(" ".join(words), config="simple", search_type="plain")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", "-pk")
        )
    condition = Q()
    for word in words:
        condition &= Q.create([(f"{name}__icontains", word) for name in kind.fields], Q.OR)
    return queryset.filter(condition).order_by("-pk")


def _visible(kind: Kind, queryset: QuerySet, user) -> QuerySet:
    strategy_id = f"{kind.strategy_path}_id" if kind.strategy_path else "pk"
    return queryset.filter(**{f"{strategy_id}__in": visible_strategy_ids(user)})


def excerpt(texts: list[str], words: tuple[str, ...], length: int = EXCERPT_LENGTH) -> SafeString:
    """Return the part of the first text holding a word, escaped, with the words marked.

    The words are found in any case; the text around them is cut to about `length`
    characters, with an ellipsis where it was cut.
    """
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    chosen = next((text for text in texts if text and pattern.search(text)), "")
    line = " ".join(chosen.split())
    found = pattern.search(line)
    start = max(0, found.start() - length // 3) if found else 0
    if start > 0:
        # Begin on a whole word, unless the word before the match is all there is.
        space = line.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    end = min(len(line), start + length)
    piece = line[start:end]
    # The text between the words, and each word found: format_html escapes every part.
    parts = []
    position = 0
    for match in pattern.finditer(piece):
        parts.append(("{}", piece[position : match.start()]))
        parts.append(("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(("{}", piece[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    body = format_html_join("", "{}", ((format_html(shape, text),) for shape, text in parts))
    return format_html("{}{}{}", prefix, body, suffix)


def _strategy_of(kind: Kind, record) -> Strategy:
    value = record
    for part in filter(None, kind.strategy_path.split("__")):
        value = getattr(value, part)
    return value


def search(*, user, query: str, limit: int = RESULTS_PER_KIND) -> SearchResults:
    """Return what matches `query` among the records `user` may see, grouped by kind.

    One query per kind: the window count gives the number of matches beside the first
    `limit` of them. An empty query searches nothing.
    """
    words = search_words(query)
    if not words:
        return SearchResults(query=query, words=(), groups=())
    groups = []
    for kind in KINDS:
        queryset = _visible(kind, _matching(kind, words), user)
        rows = list(
            queryset.select_related(*kind.related).annotate(
                search_total=Window(Count("pk")),
            )[:limit]
        )
        hits = []
        for record in rows:
            strategy = _strategy_of(kind, record)
            # The title is the link already: the excerpt comes from the texts where they match.
            names = (*kind.fields[1:], kind.fields[0])
            texts = [str(getattr(record, name) or "") for name in names]
            hits.append(
                SearchHit(
                    title=kind.title(record),
                    url=kind.url(record),
                    strategy=strategy_label(strategy),
                    excerpt=excerpt(texts, words),
                )
            )
        groups.append(
            SearchGroup(
                key=kind.key,
                label=kind.label,
                hits=tuple(hits),
                total=rows[0].search_total if rows else 0,
            )
        )
    return SearchResults(query=query, words=words, groups=tuple(groups))


__all__ = ["KINDS", "SearchGroup", "SearchHit", "SearchResults", "excerpt", "search"]
