"""Choices for organisations, strategies, results frameworks and progress."""

from django.db import models


class PriorityKind(models.TextChoices):
    PRIORITY = "priority", "Priority area"
    CROSS_CUTTING = "cross_cutting", "Cross-cutting priority"


class ChapterKey(models.TextChoices):
    """The chapters the app shows text or tables under, however the document numbers them."""

    OBJECTIVE = "objective", "Objective"
    ORGANISATION = "organisation", "The organisation"
    LESSONS_LEARNT = "lessons_learnt", "Lessons learnt"
    PRIORITY_AREAS = "priority_areas", "Priority areas and results"
    BUDGET = "budget", "Budget"
    RISKS = "risks", "Risks"
    ENGAGEMENT = "engagement", "Engagement"


class CodeScheme(models.TextChoices):
    """How a framework's printed codes are checked."""

    ANY = "", "Any code"
    HIERARCHICAL = "hierarchical", "Hierarchical (3, 3b, 3b.4): code gives level"
    PATTERN = "pattern", "A pattern of its own"


class DefinitionStatus(models.TextChoices):
    DEFINED = "defined", "Defined"
    UNDER_DEVELOPMENT = "under_development", "Under development"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    MAINTAIN = "maintain", "Keep at target"


class Rating(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    SOME_DELAYS = "some_delays", "Some delays"
    OFF_TRACK = "off_track", "Off track"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class YearState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"


class TeamRole(models.TextChoices):
    DESK_OFFICER = "desk_officer", "Desk officer"
    FINANCIAL_OFFICER = "financial_officer", "Financial officer"
    MISSION_STAFF = "mission_staff", "Mission staff"
    MANAGER = "manager", "Manager"
    # Reads the strategy's pages and changes nothing.
    OBSERVER = "observer", "Observer"


class OfficeKind(models.TextChoices):
    REGIONAL = "regional", "Regional office"
    SPECIAL_LIAISON = "special_liaison", "Special liaison office"
    UN_OFFICE = "un_office", "Office to the UN"
    COUNTRY = "country", "Country office"


class OfficeFunction(models.TextChoices):
    NONE = "", "—"
    RESOURCE_MOBILISATION = "resource_mobilisation", "Resource mobilization functions (*)"
    COORDINATING = "coordinating", "Coordinating functions (**)"


class FigureUnit(models.TextChoices):
    USD = "USD", "USD"
    DKK = "DKK", "DKK"
    PERCENT = "percent", "%"
    COUNT = "count", "count"
    PEOPLE = "people", "people"
    YEAR = "year", "year"


class SDG(models.IntegerChoices):
    """The seventeen Sustainable Development Goals of the UN 2030 Agenda."""

    NO_POVERTY = 1, "No poverty"
    ZERO_HUNGER = 2, "Zero hunger"
    GOOD_HEALTH = 3, "Good health and well-being"
    QUALITY_EDUCATION = 4, "Quality education"
    GENDER_EQUALITY = 5, "Gender equality"
    CLEAN_WATER = 6, "Clean water and sanitation"
    CLEAN_ENERGY = 7, "Affordable and clean energy"
    DECENT_WORK = 8, "Decent work and economic growth"
    INDUSTRY = 9, "Industry, innovation and infrastructure"
    REDUCED_INEQUALITIES = 10, "Reduced inequalities"
    SUSTAINABLE_CITIES = 11, "Sustainable cities and communities"
    RESPONSIBLE_CONSUMPTION = 12, "Responsible consumption and production"
    CLIMATE_ACTION = 13, "Climate action"
    LIFE_BELOW_WATER = 14, "Life below water"
    LIFE_ON_LAND = 15, "Life on land"
    PEACE_JUSTICE = 16, "Peace, justice and strong institutions"
    PARTNERSHIPS = 17, "Partnerships for the goals"


class DueKind(models.TextChoices):
    """What kind of thing is due on a user's list of tasks."""

    YEAR = "year", "Year to submit"
    RISK_REVIEW = "risk_review", "Risk review"
    ACTION_POINT = "action_point", "Action point"
    ALLOCATION_ROUND = "allocation_round", "Allocation decision"
    MILESTONE = "milestone", "Milestone"
