from django import forms
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.forms import StyledFormMixin

from . import uploads
from .models import BankCardCertification, CriterionReview, Defense, EnterpriseCertification

FILE_HELP = _("JPG, JPEG, BMP, PNG, GIF or PDF, at most 10 MB.")
PHOTO_HELP = _("One photo of the card holder's face: JPG, JPEG, BMP, PNG or GIF, at most 10 MB.")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class FileInput(forms.ClearableFileInput):
    def __init__(self, formats=uploads.ALL_FORMATS, attrs=None):
        base = {"accept": uploads.accept_attribute(formats)}
        super().__init__(attrs={**base, **(attrs or {})})


class EnterpriseSetupForm(StyledFormMixin, forms.Form):
    legal_person = forms.CharField(
        label=_("Legal person"),
        required=False,
        max_length=100,
        help_text=_("Leave empty when no legal person's ID card is needed."),
        widget=forms.TextInput(),
    )
    staff = forms.CharField(
        label=_("Staff members"),
        required=False,
        help_text=_("One name per line, in the order their ID cards follow."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    other_certificates = forms.CharField(
        label=_("Other enterprise certificates"),
        required=False,
        help_text=_(
            "The business licence always comes first. List further certificates, one per "
            "line, for example a qualification certificate."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def initial_for(cls, certification) -> dict:
        persons = list(certification.persons.all())
        return {
            "legal_person": next((p.name for p in persons if p.role == "legal_person"), ""),
            "staff": "\n".join(p.name for p in persons if p.role == "staff"),
            "other_certificates": "\n".join(
                s.title for s in certification.slots.all() if s.kind == "other_certificate"
            ),
        }

    def setup(self) -> dict:
        data = self.cleaned_data
        return {
            "legal_person": data["legal_person"],
            "staff": _lines(data["staff"]),
            "other_certificates": _lines(data["other_certificates"]),
        }


class SlotUploadForm(StyledFormMixin, forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File"), help_text=FILE_HELP, widget=FileInput(), allow_empty_file=True
    )


class DecisionForm(StyledFormMixin, forms.Form):
    """Approve, or reject with reasons."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect(),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for a rejection"),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    comment = forms.CharField(
        label=_("Comment to the partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reason_choices=EnterpriseCertification.RejectReason.choices, **kw):
        super().__init__(*args, **kw)
        self.fields["reasons"].choices = reason_choices


class BankCardForm(StyledFormMixin, forms.Form):
    holder_name = forms.CharField(
        label=_("Card holder"),
        max_length=100,
        widget=forms.TextInput(),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, widget=forms.TextInput())
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=40,
        help_text=_("Only the first four and last four digits are kept."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    face_photo = forms.FileField(
        label=_("Face-scan photo"),
        help_text=PHOTO_HELP,
        widget=FileInput(uploads.IMAGE_FORMATS),
        allow_empty_file=True,
    )


BankCardDecisionForm = DecisionForm
BANK_CARD_REASONS = BankCardCertification.RejectReason.choices


class LabelStatementForm(StyledFormMixin, forms.Form):
    statement = forms.CharField(
        label=_("Summary of your capability"),
        required=False,
        help_text=_("What your company has delivered for this capability, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EvidenceForm(StyledFormMixin, forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Evidence file"), help_text=FILE_HELP, widget=FileInput(), allow_empty_file=True
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(),
    )


class CriterionVerdictForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=CriterionReview.Verdict.choices,
        widget=forms.RadioSelect(),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        help_text=_("Required when the criterion is not met."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConcludeForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Review summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DefenseRequestForm(StyledFormMixin, forms.Form):
    # The partner's own point of view (the stored choice labels are neutral: staff read them).
    channel = forms.ChoiceField(
        label=_("Request through"),
        choices=[
            (Defense.Channel.PDM, _("Through our PDM")),
            (Defense.Channel.SPECIALIST, Defense.Channel.SPECIALIST.label),
        ],
        widget=forms.RadioSelect(),
    )
    criteria = forms.TypedMultipleChoiceField(
        label=_("Criteria you dispute"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(),
    )
    statement = forms.CharField(
        label=_("What you disagree with"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria=(), has_pdm=True, **kw):
        super().__init__(*args, **kw)
        self.fields["criteria"].choices = [(c.pk, f"{c.position}. {c.title}") for c in criteria]
        if not has_pdm:
            self.fields["channel"].choices = [
                (Defense.Channel.SPECIALIST, Defense.Channel.SPECIALIST.label)
            ]
            self.fields["channel"].initial = Defense.Channel.SPECIALIST


class DefenseScheduleForm(StyledFormMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Defense time (Beijing time)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=60,
        min_value=15,
        max_value=480,
        widget=forms.NumberInput(),
    )
    meeting_link = forms.URLField(
        label=_("Meeting link"),
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Review experts"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    external_experts = forms.CharField(
        label=_("Other experts"),
        required=False,
        max_length=300,
        help_text=_("Experts without a portal account: names and organisations."),
        widget=forms.TextInput(),
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["experts"].queryset = User.objects.filter(
            role__in=[Role.CERT_SPECIALIST, Role.BD], is_active=True
        ).order_by("role", "full_name", "email")


class DefenseOutcomeForm(StyledFormMixin, forms.Form):
    notes = forms.CharField(
        label=_("What the defense showed"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria=(), **kw):
        super().__init__(*args, **kw)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"verdict_{c.pk}"] = forms.ChoiceField(
                label=f"{c.position}. {c.title}",
                choices=CriterionReview.Verdict.choices,
                widget=forms.RadioSelect(),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def verdicts(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"verdict_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }

    def criterion_fields(self):
        return [(self[f"verdict_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]
