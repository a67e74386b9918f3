"""Choices for meetings, action points and milestones."""

from django.db import models


class MeetingKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", "Annual consultation"
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", "High-level consultation"
    INTEGRITY_BRIEFING = "integrity_briefing", "Integrity briefing"
    COUNCIL = "council", "Council session"
    STANDING_COMMITTEE = "standing_committee", "Standing Committee on Programmes and Finance"
    WORKING_GROUP = "working_group", "Working group"
    DONOR_GROUP = "donor_group", "Donor group"
    CONTACT_GROUP = "contact_group", "Doing Development Differently contact group"
    ALLOCATION_DIALOGUE = "allocation_dialogue", "Six-monthly allocation dialogue"
    OTHER = "other", "Other meeting"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class MilestoneKind(models.TextChoices):
    ANNUAL_CONSULTATION = "annual_consultation", "Annual consultation"
    HIGH_LEVEL_CONSULTATION = "high_level_consultation", "High-level consultation"
    ALLOCATION_DIALOGUE = "allocation_dialogue", "Allocation dialogue (softly earmarked funds)"
    COUNCIL = "council", "Council session"
    STANDING_COMMITTEE = "standing_committee", "Standing Committee session"
    INTEGRITY_BRIEFING = "integrity_briefing", "Integrity briefing"
    DONOR_GROUP = "donor_group", "Donor group meeting"
    PARLIAMENTARY_APPROVAL = "parliamentary_approval", "Parliamentary approval of the year's funds"
    ANNUAL_REPORT = "annual_report", "Partner's annual report"
    MID_TERM_REVIEW = "mid_term_review", "Mid-term review"
    OTHER = "other", "Other"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
