"""Choices for meetings, action points, milestones and the consultation rhythm."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", "Annual consultation"
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", "High-level consultation"
    INTEGRITY_BRIEFING = "integrity_briefing", "Integrity briefing"
    GOVERNING_BODY = "governing_body", "Governing body session"
    WORKING_GROUP = "working_group", "Working group"
    DONOR_GROUP = "donor_group", "Donor group"
    CONTACT_GROUP = "contact_group", "Contact group"
    ALLOCATION_DIALOGUE = "allocation_dialogue", "Allocation dialogue"
    OTHER = "other", "Other meeting"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class MilestoneKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", "Annual consultation"
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", "High-level consultation"
    ALLOCATION_DIALOGUE = "allocation_dialogue", "Allocation dialogue"
    GOVERNING_BODY = "governing_body", "Governing body session"
    INTEGRITY_BRIEFING = "integrity_briefing", "Integrity briefing"
    DONOR_GROUP = "donor_group", "Donor group meeting"
    PARLIAMENTARY_APPROVAL = "parliamentary_approval", "Parliamentary approval of the year's funds"
    ANNUAL_REPORT = "annual_report", "Partner's annual report"
    MID_TERM_REVIEW = "mid_term_review", "Mid-term review"
    YEAR_APPROVED = "year_approved", _("Year's progress approved")
    OTHER = "other", "Other"


class HighLevelPattern(models.TextChoices):
    ALTERNATE = "alternate", "Every second year from a first year"
    LISTED = "listed", "In the years listed"
    NONE = "none", "None: annual consultations only"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
