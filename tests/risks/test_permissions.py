"""Who may change the risk register: the strategy's desk officers; everyone who sees it reads."""

import pytest

from risks.permissions import risk_can_edit, risk_can_view

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user_name", "may_view", "may_edit"),
    [
        ("desk", True, True),
        ("finance", True, False),
        ("mission", True, False),
        ("manager", True, False),
        ("admin_user", True, False),
        ("outsider", False, False),
    ],
)
def test_register_permissions_per_role(request, strategy, user_name, may_view, may_edit):
    user = request.getfixturevalue(user_name)
    assert risk_can_view(user, strategy) is may_view
    assert risk_can_edit(user, strategy) is may_edit


def test_desk_officer_edits_only_the_register_of_own_strategy(desk, strategy, other_strategy):
    assert risk_can_edit(desk, strategy)
    assert not risk_can_edit(desk, other_strategy)
