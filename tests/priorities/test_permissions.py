"""The permission helper: who sees and changes which strategy."""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from priorities import permissions
from priorities.choices import TeamRole
from priorities.models import Strategy
from tests.priorities.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_groups_migrations_create_a_group_for_every_role():
    # Run the migrations' own functions: transactional browser tests flush migration data.
    from django.apps import apps

    roles = importlib.import_module("priorities.migrations.0002_create_role_groups")
    observer = importlib.import_module("priorities.migrations.0011_create_observer_group")
    Group.objects.all().delete()
    roles.create_groups(apps, None)
    observer.create_group(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) == set(permissions.ALL_GROUPS)


def test_desk_officer_logs_progress_only_on_own_strategy(desk, strategy, other_strategy):
    assert permissions.strategy_can_view(desk, strategy)
    assert permissions.strategy_can_log_progress(desk, strategy)
    assert not permissions.strategy_can_record_funding(desk, strategy)
    assert not permissions.strategy_can_approve(desk, strategy)
    assert not permissions.strategy_can_view(desk, other_strategy)
    assert not permissions.strategy_can_log_progress(desk, other_strategy)


def test_financial_officer_records_funding_not_progress(finance, strategy):
    assert permissions.strategy_can_record_funding(finance, strategy)
    assert not permissions.strategy_can_log_progress(finance, strategy)


def test_observer_reads_the_strategy_and_changes_nothing(strategy, other_strategy):
    observer = UserFactory(username="observer")
    TeamMembershipFactory(strategy=strategy, user=observer, role=TeamRole.OBSERVER)
    assert permissions.strategy_can_view(observer, strategy)
    assert not permissions.strategy_can_view(observer, other_strategy)
    assert not permissions.strategy_can_log_progress(observer, strategy)
    assert not permissions.strategy_can_record_funding(observer, strategy)
    assert not permissions.strategy_can_log_meetings(observer, strategy)
    assert not permissions.strategy_can_approve(observer, strategy)
    assert not permissions.strategy_can_set_up(observer, strategy)


def test_mission_staff_logs_meetings_only(mission, strategy):
    assert permissions.strategy_can_log_meetings(mission, strategy)
    assert not permissions.strategy_can_log_progress(mission, strategy)
    assert not permissions.strategy_can_record_funding(mission, strategy)


def test_manager_sees_and_approves_every_strategy_but_edits_none(manager, strategy, other_strategy):
    for item in (strategy, other_strategy):
        assert permissions.strategy_can_view(manager, item)
        assert permissions.strategy_can_approve(manager, item)
        assert not permissions.strategy_can_log_progress(manager, item)
    assert set(Strategy.objects.visible_to(manager)) == {strategy, other_strategy}


def test_administrator_sets_up_strategies(admin_user, desk, strategy):
    assert permissions.strategy_can_set_up(admin_user, strategy)
    assert not permissions.strategy_can_set_up(desk, strategy)


def test_outsider_sees_only_own_strategy(outsider, strategy, other_strategy):
    assert list(Strategy.objects.visible_to(outsider)) == [other_strategy]


def test_anonymous_user_sees_nothing(strategy):
    anonymous = AnonymousUser()
    assert not permissions.strategy_can_view(anonymous, strategy)
    assert not Strategy.objects.visible_to(anonymous).exists()
