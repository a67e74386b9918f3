"""Reading what an export's address or form names: the meeting a brief is prepared for."""

from django.http import Http404

from engagement.models import Meeting
from priorities.models import Strategy


def meeting_param(*, strategy: Strategy, raw: str) -> Meeting | None:
    """Return the meeting of `strategy` that `raw` names, None for nothing; else a 404.

    A number that is not one of the strategy's meetings, or text that is not a number, is
    answered as a page that does not exist: another strategy's meeting is never revealed.
    """
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such meeting.")
    try:
        return Meeting.objects.get(strategy=strategy, pk=int(raw))
    except Meeting.DoesNotExist as error:
        raise Http404("No such meeting in this strategy.") from error
