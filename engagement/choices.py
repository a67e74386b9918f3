"""Choices for meetings, action points, milestones and the consultation rhythm."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", _("Annual consultation")
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", _("High-level consultation")
    INTEGRITY_BRIEFING = "integrity_briefing", _("Integrity briefing")
    GOVERNING_BODY = "governing_body", _("Governing body session")
    WORKING_GROUP = "working_group", _("Working group")
    DONOR_GROUP = "donor_group", _("Donor group")
    CONTACT_GROUP = "contact_group", _("Contact group")
    ALLOCATION_DIALOGUE = "allocation_dialogue", _("Allocation dialogue")
    OTHER = "other", _("Other meeting")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class MilestoneKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", _("Annual consultation")
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", _("High-level consultation")
    ALLOCATION_DIALOGUE = "allocation_dialogue", _("Allocation dialogue")
    GOVERNING_BODY = "governing_body", _("Governing body session")
    INTEGRITY_BRIEFING = "integrity_briefing", _("Integrity briefing")
    DONOR_GROUP = "donor_group", _("Donor group meeting")
    PARLIAMENTARY_APPROVAL = (
        "parliamentary_approval",
        _("Parliamentary approval of the year's funds"),
    )
    ANNUAL_REPORT = "annual_report", _("Partner's annual report")
    MID_TERM_REVIEW = "mid_term_review", _("Mid-term review")
    YEAR_APPROVED = "year_approved", _("Year's progress approved")
    OTHER = "other", _("Other")


class HighLevelPattern(models.TextChoices):
    ALTERNATE = "alternate", _("Every second year from a first year")
    LISTED = "listed", _("In the years listed")
    NONE = "none", _("None: annual consultations only")


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
