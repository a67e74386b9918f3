"""Writes for strategies: progress, ratings, evidence, the yearly workflow and the set-up."""

from strategy_monitor.history import CHANGE_REASON_LENGTH as REASON_LENGTH

from .framework import (
    NodeRow,
    NodeRowError,
    framework_create,
    framework_nodes_save,
    node_create,
    node_update,
    priorityarea_node_link,
    priorityarea_node_unlink,
)
from .handover import team_roles_hand_over
from .indicators import INDICATOR_FIELDS, area_node_ids, indicator_create, indicator_update
from .onepager import strategy_create_from_onepager
from .progress import (
    assessment_delete,
    assessment_save,
    evidence_add,
    evidence_delete,
    progress_delete,
    progress_save,
    year_edit_check,
)
from .strategy import (
    AREA_FIELDS,
    RESERVED_SLUGS,
    STRATEGY_FIELDS,
    organisation_create,
    priorityarea_delete,
    priorityarea_save,
    strategy_create,
    strategy_update,
    strategy_year_update,
    teammembership_add,
    teammembership_remove,
    teammembership_save,
)
from .workflow import (
    OWN_SUBMISSION_CODE,
    year_approve,
    year_approve_check,
    year_is_own_submission,
    year_reopen,
    year_return,
    year_submit,
)

__all__ = (
    "AREA_FIELDS",
    "INDICATOR_FIELDS",
    "OWN_SUBMISSION_CODE",
    "REASON_LENGTH",
    "RESERVED_SLUGS",
    "STRATEGY_FIELDS",
    "area_node_ids",
    "assessment_delete",
    "assessment_save",
    "evidence_add",
    "evidence_delete",
    "NodeRow",
    "NodeRowError",
    "framework_create",
    "framework_nodes_save",
    "indicator_create",
    "indicator_update",
    "node_create",
    "node_update",
    "organisation_create",
    "priorityarea_delete",
    "priorityarea_node_link",
    "priorityarea_node_unlink",
    "priorityarea_save",
    "progress_delete",
    "progress_save",
    "strategy_create",
    "strategy_create_from_onepager",
    "strategy_update",
    "strategy_year_update",
    "teammembership_add",
    "teammembership_remove",
    "teammembership_save",
    "team_roles_hand_over",
    "year_approve",
    "year_approve_check",
    "year_edit_check",
    "year_is_own_submission",
    "year_reopen",
    "year_return",
    "year_submit",
)
