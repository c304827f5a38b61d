from datetime import datetime, time
from decimal import Decimal

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.models import User
from partner_center.forms import StyledFormMixin
from partner_center.money import cny

from .models import SHANGHAI, Association, BillingModel, Registration, Resource, Voucher

MONEY_ATTRS = {"step": "0.01", "min": "0", "inputmode": "decimal"}


def money_field(label, *, required=True, help_text="", min_value=Decimal("0.01")):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=min_value,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
    )


BootstrapMixin = StyledFormMixin


class InvitationForm(BootstrapMixin, forms.Form):
    billing_model = forms.ChoiceField(
        label=_("How the customer pays"),
        choices=BillingModel.choices,
        help_text=_(
            "Reseller model: you fund the customer's hosted account and set its budget; it stays "
            "frozen until you do. Referral model: the customer pays from its own main account."
        ),
    )
    email = forms.EmailField(
        label=_("Customer e-mail"),
        required=False,
        help_text=_("Optional: we e-mail the link to this address."),
    )
    note = forms.CharField(label=_("Note for yourself"), max_length=200, required=False)


def _column(model, name: str) -> int:
    """A form field is as long as the column it is stored in (never a 500 on save)."""
    return model._meta.get_field(name).max_length


class RegisterForm(BootstrapMixin, forms.Form):
    # The name is stored in the user's full name (the shortest of its columns).
    name = forms.CharField(
        label=_("Company or your name"),
        max_length=min(_column(User, "full_name"), _column(Registration, "name")),
    )
    email = forms.EmailField(label=_("E-mail"), max_length=_column(User, "email"))
    phone = forms.CharField(label=_("Phone"), max_length=_column(User, "phone"), required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class VerifyCodeForm(BootstrapMixin, forms.Form):
    code = forms.RegexField(
        label=_("Code from the e-mail"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the 6 digits from the e-mail.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AgreeForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("I have read the association agreement above and sign it."),
        error_messages={"required": _("Tick the box to sign the agreement.")},
    )


class MoneyForm(BootstrapMixin, forms.Form):
    amount = money_field(_("Amount (CNY)"))
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class ReclaimForm(BootstrapMixin, forms.Form):
    """An amount, or the explicit "whole balance" box [our rule]; an empty amount alone is
    refused."""

    amount = money_field(_("Amount (CNY)"), required=False)
    reclaim_all = forms.BooleanField(
        label=_("Reclaim the whole balance"),
        required=False,
        help_text=_("The next step shows the amount before anything moves."),
    )
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("amount") is None and not data.get("reclaim_all"):
            if "amount" not in self.errors:
                self.add_error(
                    "amount",
                    _("Enter the amount to reclaim, or tick “Reclaim the whole balance”."),
                )
        elif data.get("amount") is not None and data.get("reclaim_all"):
            self.add_error("amount", _("Enter an amount or tick the box, not both."))
        return data


class BudgetForm(BootstrapMixin, forms.Form):
    monthly_budget = money_field(
        _("Monthly budget (CNY)"),
        min_value=Decimal("0"),
        help_text=_("The most the customer may spend from this account per calendar month."),
    )


class UnbindForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("I understand: the association ends now and the account balance comes back."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


def period_choices(unit: str) -> list[tuple[int, str]]:
    if unit == Resource.PeriodUnit.YEAR:
        return [(n, _("%(n)s year(s)") % {"n": n}) for n in (1, 2, 3)]
    return [(n, _("%(n)s month(s)") % {"n": n}) for n in (1, 2, 3, 6, 12)]


class RenewForm(BootstrapMixin, forms.Form):
    periods = forms.TypedChoiceField(label=_("Renew for"), coerce=int)
    voucher = forms.ModelChoiceField(
        label=_("Voucher"),
        queryset=Voucher.objects.none(),
        required=False,
        empty_label=_("No voucher"),
    )

    def __init__(self, *args, resource: Resource, vouchers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periods"].choices = period_choices(resource.period_unit)
        self.fields["voucher"].queryset = vouchers
        self.fields["voucher"].label_from_instance = lambda v: (
            f"{v.code} · {cny(v.account.balance)}"
        )


class AssociationField(forms.ModelChoiceField):
    """A customer typed by its account name (or the association's number), not picked from
    a <select> of every customer: a reseller may have thousands."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, Association):
            return value
        # A number when the confirmation step binds the values it signed.
        value = str(value if value is not None else "").strip()
        if value in self.empty_values:
            return None
        lookup = {"pk": value} if value.isdigit() else {"customer__account_name": value}
        found = self.queryset.filter(**lookup).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class VoucherIssueForm(BootstrapMixin, forms.Form):
    association = AssociationField(
        label=_("Customer"),
        queryset=Association.objects.none(),
        empty_label=None,
        help_text=_("The customer's account name."),
    )
    face_value = money_field(_("Face value (CNY)"))
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Usable until the end of this day (China time)."),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations

    def valid_until_moment(self):
        day = self.cleaned_data["valid_until"]
        return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)
