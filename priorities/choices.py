"""Choices for organisations, strategies, results frameworks and progress."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PriorityKind(models.TextChoices):
    PRIORITY = "priority", _("Priority area")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting priority")


class ChapterKey(models.TextChoices):
    """The chapters the app shows text or tables under, however the document numbers them."""

    OBJECTIVE = "objective", _("Objective")
    ORGANISATION = "organisation", _("The organisation")
    LESSONS_LEARNT = "lessons_learnt", _("Lessons learnt")
    PRIORITY_AREAS = "priority_areas", _("Priority areas and results")
    BUDGET = "budget", _("Budget")
    RISKS = "risks", _("Risks")
    ENGAGEMENT = "engagement", _("Engagement")


class CodeScheme(models.TextChoices):
    """How a framework's printed codes are checked."""

    ANY = "", _("Any code")
    HIERARCHICAL = "hierarchical", _("Hierarchical (3, 3b, 3b.4): code gives level")
    PATTERN = "pattern", _("A pattern of its own")


class DefinitionStatus(models.TextChoices):
    DEFINED = "defined", _("Defined")
    UNDER_DEVELOPMENT = "under_development", _("Under development")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
    MAINTAIN = "maintain", _("Keep at target")


class Rating(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    SOME_DELAYS = "some_delays", _("Some delays")
    OFF_TRACK = "off_track", _("Off track")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class YearState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class TeamRole(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    FINANCIAL_OFFICER = "financial_officer", _("Financial officer")
    MISSION_STAFF = "mission_staff", _("Mission staff")
    MANAGER = "manager", _("Manager")
    # Reads the strategy's pages and changes nothing.
    OBSERVER = "observer", _("Observer")


class OfficeKind(models.TextChoices):
    REGIONAL = "regional", _("Regional office")
    SPECIAL_LIAISON = "special_liaison", _("Special liaison office")
    UN_OFFICE = "un_office", _("Office to the UN")
    COUNTRY = "country", _("Country office")


class OfficeFunction(models.TextChoices):
    NONE = "", "—"
    RESOURCE_MOBILISATION = "resource_mobilisation", _("Resource mobilization functions (*)")
    COORDINATING = "coordinating", _("Coordinating functions (**)")


class FigureUnit(models.TextChoices):
    USD = "USD", "USD"
    DKK = "DKK", "DKK"
    PERCENT = "percent", "%"
    COUNT = "count", _("count")
    PEOPLE = "people", _("people")
    YEAR = "year", _("year")


class SDG(models.IntegerChoices):
    """The seventeen Sustainable Development Goals of the UN 2030 Agenda."""

    NO_POVERTY = 1, _("No poverty")
    ZERO_HUNGER = 2, _("Zero hunger")
    GOOD_HEALTH = 3, _("Good health and well-being")
    QUALITY_EDUCATION = 4, _("Quality education")
    GENDER_EQUALITY = 5, _("Gender equality")
    CLEAN_WATER = 6, _("Clean water and sanitation")
    CLEAN_ENERGY = 7, _("Affordable and clean energy")
    DECENT_WORK = 8, _("Decent work and economic growth")
    INDUSTRY = 9, _("Industry, innovation and infrastructure")
    REDUCED_INEQUALITIES = 10, _("Reduced inequalities")
    SUSTAINABLE_CITIES = 11, _("Sustainable cities and communities")
    RESPONSIBLE_CONSUMPTION = 12, _("Responsible consumption and production")
    CLIMATE_ACTION = 13, _("Climate action")
    LIFE_BELOW_WATER = 14, _("Life below water")
    LIFE_ON_LAND = 15, _("Life on land")
    PEACE_JUSTICE = 16, _("Peace, justice and strong institutions")
    PARTNERSHIPS = 17, _("Partnerships for the goals")


class DueKind(models.TextChoices):
    """What kind of thing is due on a user's list of tasks."""

    YEAR = "year", _("Year to submit")
    RISK_REVIEW = "risk_review", _("Risk review")
    ACTION_POINT = "action_point", _("Action point")
    ALLOCATION_ROUND = "allocation_round", _("Allocation decision")
    MILESTONE = "milestone", _("Milestone")
