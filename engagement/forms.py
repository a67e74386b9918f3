"""Forms for meetings, action points and milestones."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.choices import ActionStatus, MeetingKind
from engagement.models import (
    KEY_MESSAGE_MAX_LENGTH,
    MAX_SESSIONS,
    ActionPoint,
    GoverningBody,
    KeyMessage,
    Meeting,
    MidTermReview,
    Milestone,
    Rhythm,
)
from engagement.selectors import governingbody_list, team_users
from engagement.validators import MINUTES_ACCEPTED_TEXT, MINUTES_EXTENSIONS
from priorities.models import PriorityArea, Strategy
from priorities.registry import fulfilled_kinds
from strategy_monitor.concurrency import VersionedFormMixin
from strategy_monitor.formats import person_name
from strategy_monitor.validators import TEXT_MAX_LENGTH


class DateInput(forms.DateInput):
    """A browser date picker that reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """Choose a team member by name."""

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


def _area_queryset(strategy: Strategy):
    return PriorityArea.objects.filter(strategy=strategy).order_by("order", "number")


def _body_field_limit(form: forms.ModelForm, strategy: Strategy) -> None:
    """Offer only the partner's own governing bodies, and their kind only where it has some."""
    bodies = governingbody_list(organisation_id=strategy.organisation_id)
    field = form.fields["body"]
    field.queryset = bodies
    field.empty_label = "—"
    field.label_from_instance = lambda body: body.name
    if not bodies.exists() and form.instance.body_id is None:
        del form.fields["body"]
        kind = form.fields["kind"]
        kind.choices = [
            choice for choice in kind.choices if choice[0] != MeetingKind.GOVERNING_BODY
        ]


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    """Log or edit a meeting: kind, date, participants, summary and the areas it covered."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "body",
            "held_on",
            "title",
            "location",
            "participants",
            "summary",
            "priority_areas",
            "minutes",
        ]
        labels = {
            "kind": _("Kind"),
            "body": _("Governing body"),
            "held_on": _("Date"),
            "title": _("Title"),
            "location": _("Location"),
            "participants": _("Participants"),
            "summary": _("Summary"),
            "priority_areas": _("Priority areas discussed"),
            "minutes": _("Minutes"),
        }
        help_texts = {
            "title": _("Leave empty for the kind and year, e.g. “Annual consultation 2024”."),
            "participants": _("Who took part, on both sides."),
            "minutes": _("The minutes as text, or upload them as a file below, or both."),
        }
        widgets = {
            "held_on": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "priority_areas": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        _body_field_limit(self, strategy)
        self.fields["title"].required = False
        self.fields["priority_areas"].queryset = _area_queryset(strategy)
        self.fields["priority_areas"].label_from_instance = lambda area: area.label
        # The file is checked by its content in the service, not by the browser's word for it.
        replaces = (
            " " + _("It replaces “%(name)s”.") % {"name": self.instance.minutes_file_name}
            if self.instance.minutes_file
            else ""
        )
        self.fields["minutes_file"] = forms.FileField(
            required=False,
            label=_("Minutes file"),
            help_text=_("A %(accepted)s.") % {"accepted": MINUTES_ACCEPTED_TEXT} + replaces,
            widget=forms.FileInput(attrs={"accept": ",".join(MINUTES_EXTENSIONS)}),
        )
        if self.instance.pk and self.instance.minutes_file:
            self.fields["minutes_file_remove"] = forms.BooleanField(
                required=False,
                label=_("Remove the minutes file “%(name)s”")
                % {"name": self.instance.minutes_file_name},
            )

    def clean(self):
        data = super().clean()
        if data.get("minutes_file") and data.get("minutes_file_remove"):
            self.add_error(
                "minutes_file_remove",
                forms.ValidationError(
                    _("Either upload a new minutes file or remove the old one, not both."),
                    code="upload_and_remove",
                ),
            )
        return data


class ActionPointRowForm(forms.Form):
    """One row of the action points taken down with a new meeting; empty rows are skipped.

    Every row is optional, so no field is marked required; a row once started needs its text, owner
    and due date, which `clean()` asks for by name.
    """

    # The fields a started row must have, with what to say when one is missing.
    NEEDED_IN_A_STARTED_ROW = {
        "text": _("Enter the action point, or empty the row."),
        "owner": _("Choose who owns the action point."),
        "due_on": _("Enter the date the action point is due."),
    }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=_("Action point"),
            max_length=TEXT_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["owner"] = PersonChoiceField(
            queryset=team_users(strategy=strategy), label=_("Owner"), required=False
        )
        self.fields["due_on"] = forms.DateField(
            label=_("Due date"), widget=DateInput(), required=False
        )
        self.fields["priority_area"] = forms.ModelChoiceField(
            queryset=_area_queryset(strategy), required=False, label=_("Priority area")
        )
        self.fields["priority_area"].label_from_instance = lambda area: area.label

    def clean(self):
        data = super().clean()
        for name, message in self.NEEDED_IN_A_STARTED_ROW.items():
            # A value refused by the field itself (a malformed date) has its own message already.
            if name not in self.errors and not data.get(name):
                self.add_error(name, forms.ValidationError(message, code="required"))
        return data


ActionPointFormSet = forms.formset_factory(ActionPointRowForm, extra=3)


class ActionPointForm(VersionedFormMixin, forms.ModelForm):
    """Add an action point to a meeting, or edit an open one."""

    class Meta:
        model = ActionPoint
        fields = ["text", "owner", "due_on", "priority_area"]
        labels = {
            "text": _("Action point"),
            "owner": _("Owner"),
            "due_on": _("Due date"),
            "priority_area": _("Priority area"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}
        field_classes = {"owner": PersonChoiceField}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_users(strategy=strategy)
        self.fields["owner"].required = True
        self.fields["due_on"].required = True
        self.fields["priority_area"].queryset = _area_queryset(strategy)
        self.fields["priority_area"].label_from_instance = lambda area: area.label


class ActionPointCloseForm(VersionedFormMixin, forms.Form):
    """Close an action point as done or dropped, with a note on how."""

    status = forms.ChoiceField(
        choices=[(ActionStatus.DONE, _("Done")), (ActionStatus.DROPPED, _("Dropped"))],
        widget=forms.RadioSelect,
        label=_("Close as"),
        initial=ActionStatus.DONE,
    )
    closing_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        label=_("Closing note"),
        help_text=_("What was done, or why the point was dropped."),
    )

    def __init__(self, *args, instance: ActionPoint, **kwargs):
        # Not a model form: the action point stays as saved until the service closes it.
        self.instance = instance
        super().__init__(*args, **kwargs)


class MilestoneForm(VersionedFormMixin, forms.ModelForm):
    """Add a milestone by hand or edit one: move its date, change its owner, mark it done."""

    class Meta:
        model = Milestone
        fields = [
            "kind",
            "body",
            "title",
            "due_on",
            "year",
            "date_confirmed",
            "owner",
            "done_on",
            "note",
        ]
        labels = {
            "kind": _("Kind"),
            "body": _("Governing body"),
            "title": _("Title"),
            "due_on": _("Due date"),
            "year": _("For the year (optional)"),
            "owner": _("Owner"),
            "done_on": _("Done on"),
            "date_confirmed": _("The date is confirmed"),
            "note": _("Note"),
        }
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"owner": PersonChoiceField}
        help_texts = {
            "done_on": _("Leave empty while the milestone is still to come."),
            "date_confirmed": _(
                "The date was generated from the strategy's rhythm and is a planning default. "
                "Tick when it is agreed; moving the date confirms it too."
            ),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        _body_field_limit(self, strategy)
        self.fields["owner"].queryset = team_users(strategy=strategy)
        self.fields["owner"].empty_label = _("No owner: anyone on the team")
        # A kind that a record fulfils is done when the record is, never by a date typed here.
        if not self.instance.pk or (
            self.instance.kind in fulfilled_kinds() and self.instance.done_on is None
        ):
            del self.fields["done_on"]
        if not self.instance.date_is_planning_default:
            del self.fields["date_confirmed"]


class MidTermReviewForm(VersionedFormMixin, forms.ModelForm):
    """Record the strategy's mid-term review: when, what it found, and its report."""

    class Meta:
        model = MidTermReview
        fields = ["completed_on", "findings"]
        labels = {"completed_on": _("Completed on"), "findings": _("Findings")}
        widgets = {
            "completed_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        # The file is checked by its content in the service, not by the browser's word for it.
        replaces = (
            " " + _("It replaces “%(name)s”.") % {"name": self.instance.report_file_name}
            if self.instance.report_file
            else ""
        )
        self.fields["report_file"] = forms.FileField(
            required=False,
            label=_("Report file (optional)"),
            help_text=_("A %(accepted)s.") % {"accepted": MINUTES_ACCEPTED_TEXT} + replaces,
            widget=forms.FileInput(attrs={"accept": ",".join(MINUTES_EXTENSIONS)}),
        )
        if self.instance.pk and self.instance.report_file:
            self.fields["report_file_remove"] = forms.BooleanField(
                required=False,
                label=_("Remove the report file “%(name)s”")
                % {"name": self.instance.report_file_name},
            )

    def clean(self):
        data = super().clean()
        if data.get("report_file") and data.get("report_file_remove"):
            self.add_error(
                "report_file_remove",
                forms.ValidationError(
                    _("Either upload a new report file or remove the old one, not both."),
                    code="upload_and_remove",
                ),
            )
        return data


class MilestoneGenerateForm(forms.Form):
    """Choose how to generate the milestones of a strategy's rhythm."""

    first_high_level_year = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label=_("First high-level consultation in"),
        help_text=_(
            "Every second year after it, the annual consultation is high-level too. Leave it "
            "as the rhythm sets it on the strategy's set-up pages unless you know better."
        ),
    )
    restore_deleted = forms.BooleanField(
        required=False, label=_("Also bring back generated milestones that were deleted")
    )

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["first_high_level_year"]
        field.choices = [
            ("", _("As the rhythm sets it")),
            *((year, str(year)) for year in strategy.years),
        ]


class GoverningBodyForm(VersionedFormMixin, forms.ModelForm):
    """One of the partner's governing bodies, and whether Denmark follows its sessions."""

    follow = forms.BooleanField(
        required=False,
        label=_("Denmark follows its sessions"),
        help_text=_("Its regular sessions are planned as milestones of this strategy."),
    )

    class Meta:
        model = GoverningBody
        fields = ["name", "short_name", "sessions_per_year", "session_dates", "order"]
        labels = {
            "name": _("Name"),
            "short_name": _("Short name"),
            "sessions_per_year": _("Sessions per year"),
            "session_dates": _("Session dates"),
            "order": _("Order"),
        }
        widgets = {"sessions_per_year": forms.NumberInput(attrs={"min": 1, "max": MAX_SESSIONS})}

    def __init__(self, *args, followed: bool = False, removable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.initial.setdefault("follow", followed)
        if removable:
            self.fields["remove"] = forms.BooleanField(
                required=False, label=_("Remove this governing body")
            )

    def has_changed(self) -> bool:
        """Count a row for a new body as filled in once it has a name or dates, not a tick."""
        if self.instance.pk:
            return super().has_changed()
        return bool({"name", "short_name", "session_dates"} & set(self.changed_data))


class RhythmForm(VersionedFormMixin, forms.ModelForm):
    """How Denmark follows the strategy: its consultations and what else is planned."""

    first_high_level_year = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label=_("First high-level consultation in"),
        help_text=_("Every second year from this one; the period's first year when empty."),
    )

    class Meta:
        model = Rhythm
        fields = [
            "high_level_pattern",
            "first_high_level_year",
            "high_level_years",
            "high_level_assumed",
            "allocation_dialogues_per_year",
            "parliamentary_approvals",
            "annual_reports",
            "year_approvals",
            "source",
        ]
        widgets = {
            "high_level_pattern": forms.RadioSelect,
            "allocation_dialogues_per_year": forms.NumberInput(
                attrs={"min": 0, "max": MAX_SESSIONS}
            ),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        years = [(year, str(year)) for year in strategy.years]
        self.fields["first_high_level_year"].choices = [("", _("The first year")), *years]


def _area_choice(field: forms.ModelChoiceField, strategy: Strategy) -> None:
    field.queryset = _area_queryset(strategy)
    field.label_from_instance = lambda area: area.label
    field.empty_label = _("The strategy as a whole")


def key_message_area_choices(strategy: Strategy) -> list[tuple]:
    """Return the priority areas a key message may belong to, as choices for every row."""
    return [
        ("", _("The strategy as a whole")),
        *((area.pk, area.label) for area in _area_queryset(strategy)),
    ]


class KeyMessageRowForm(VersionedFormMixin, forms.ModelForm):
    """One key message in the list of a meeting's: its text, priority area and place."""

    class Meta:
        model = KeyMessage
        fields = ["text", "priority_area", "order"]
        labels = {
            "text": _("Key message"),
            "priority_area": _("Priority area"),
            "order": _("Order"),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "maxlength": KEY_MESSAGE_MAX_LENGTH}),
            "order": forms.NumberInput(attrs={"min": 0, "max": 999}),
        }

    def __init__(self, *args, strategy: Strategy, area_choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _area_choice(self.fields["priority_area"], strategy)
        self.fields["priority_area"].help_text = ""
        if area_choices is not None:
            # Read once for the whole list, not once per row.
            self.fields["priority_area"].choices = area_choices
        self.fields["order"].required = False
        if self.instance.pk:
            self.fields["remove"] = forms.BooleanField(
                required=False, label=_("Remove this key message")
            )
        else:
            # A blank row left empty adds nothing; only its text makes it a new message.
            self.empty_permitted = True
            self.use_required_attribute = False
            self.initial["order"] = None
            self.fields["order"].help_text = _("Leave empty to add it after the others.")

    def clean(self):
        data = super().clean()
        if data.get("remove"):
            # A message on its way out needs no text: emptying it first must not block removal.
            self._errors.pop("text", None)
        return data

    def has_changed(self) -> bool:
        """Count a blank row as filled in once it has text, not for an area or order alone."""
        if self.instance.pk:
            return super().has_changed()
        return "text" in self.changed_data


RAISED_CHOICES = [("", _("Not yet recorded")), ("yes", _("Raised")), ("no", _("Not raised"))]


def _raised_coerce(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class KeyMessageOutcomeForm(VersionedFormMixin, forms.ModelForm):
    """After the meeting: whether one key message was raised, and the partner's answer."""

    raised = forms.TypedChoiceField(
        choices=RAISED_CHOICES,
        coerce=_raised_coerce,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label=_("At the meeting"),
    )

    class Meta:
        model = KeyMessage
        fields = ["raised", "answer"]
        labels = {"answer": _("The partner's answer")}
        widgets = {"answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raised = self.instance.raised
        self.initial["raised"] = "" if raised is None else ("yes" if raised else "no")
        self.fields["answer"].help_text = _("Only for a point raised: what the partner answered.")


class KeyMessageActionPointForm(VersionedFormMixin, forms.Form):
    """Turn a key message into an action point: what to do, who owns it and by when."""

    text = forms.CharField(
        label=_("Action point"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = PersonChoiceField(queryset=None, label=_("Owner"))
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, instance: KeyMessage, strategy: Strategy, **kwargs):
        # Not a model form: the key message stays as saved until the service links it.
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_users(strategy=strategy)
        self.initial.setdefault("text", instance.text)
