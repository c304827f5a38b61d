"""Pages: the partner's customers, invitations, accounts, resources, orders, resellers and
vouchers; the customer's own pages. Views parse and authorize; services decide."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from incentives import periods
from partner_center.accounts.access import capability_required, get_for_user
from partner_center.amount_words import in_words
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.money import cny
from partner_center.paging import Paginator
from partner_center.views_common import on_form, posted, row_action
from partner_center.workflow import verb_label

from . import selectors, services
from .filters import (
    AssociationFilter,
    InvitationFilter,
    OrderFilter,
    ResourceFilter,
    VoucherFilter,
)
from .forms import (
    AgreeForm,
    BudgetForm,
    InvitationForm,
    MoneyForm,
    ReclaimForm,
    RegisterForm,
    RenewForm,
    UnbindForm,
    VerifyCodeForm,
    VoucherIssueForm,
)
from .models import SHANGHAI, Account, Association, MoneyRequest, Order, Resource, Voucher
from .permissions import (
    CUSTOMER_SELF,
    FUND_RESELLERS,
    INVITE_CUSTOMERS,
    ISSUE_VOUCHERS,
    MANAGE_RESOURCES,
    MOVE_MONEY,
    RENEW_OWN_RESOURCES,
    UNBIND_CUSTOMERS,
    VIEW_CUSTOMERS,
    VIEW_MONEY_REQUESTS,
    VIEW_RESELLER_FUNDS,
    VIEW_RESELLERS,
)

PER_PAGE = 25


def _page(request, qs, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _can(request, cap) -> bool:
    return cap.allows(request.user)


# ---------------------------------------------------------------- customers


@capability_required(VIEW_CUSTOMERS)
def customer_list(request):
    qs = selectors.associations_for(request.user).order_by("-associated_at", "-id")
    filterset = AssociationFilter(request.GET, queryset=qs)
    page = _page(request, filterset.qs)
    return render(
        request,
        "customers/customer_list.html",
        {
            "page_title": _("Customers"),
            "filter": filterset,
            "page_obj": page,
            "latest": selectors.latest_agreement(),
            "can_unbind": _can(request, UNBIND_CUSTOMERS),
            "can_invite": _can(request, INVITE_CUSTOMERS),
            "can_move_money": _can(request, MOVE_MONEY),
        },
    )


TABS = ("profile", "account", "resources", "orders", "consumption", "recommendations")


@capability_required(VIEW_CUSTOMERS)
def customer_detail(request, pk: int):
    association = selectors.association_for_user(request.user, pk)
    tab = request.GET.get("tab", "profile")
    if tab not in TABS:
        tab = "profile"
    context = {
        "page_title": association.customer.name,
        "association": association,
        "customer": association.customer,
        "account": selectors.account_for_association(association),
        "tab": tab,
        "tabs": [
            ("profile", _("Profile")),
            ("account", _("Account")),
            ("resources", _("Resources")),
            ("orders", _("Orders")),
            ("consumption", _("Consumption summary")),
            ("recommendations", _("Knowledge recommendations")),
        ],
        "can_unbind": _can(request, UNBIND_CUSTOMERS) and association.is_active,
        "can_move_money": _can(request, MOVE_MONEY) and association.is_active,
        "latest": selectors.latest_agreement(),
    }
    if tab == "profile":
        context["events"] = _labelled(timeline_for(association))
    elif tab == "account" and context["account"] is not None:
        context["entries"] = _page(request, selectors.ledger_for(context["account"]))
        context["month_spend"] = services.month_spend(context["account"], timezone.now())
    elif tab == "resources":
        context["resources"] = Resource.objects.filter(
            customer=association.customer, association=association
        ).select_related("product")
    elif tab == "orders":
        context["orders"] = _page(
            request,
            Order.objects.filter(association=association)
            .select_related("product")
            .order_by("-formed_at", "-id"),
        )
    elif tab == "consumption":
        context["summary"] = selectors.consumption_summary(association)
        context["records"] = _page(request, selectors.consumption_for_association(association))
    elif tab == "recommendations":
        context["recommendations"] = selectors.recommendations_for(association)
    return render(request, "customers/customer_detail.html", context)


STATE_LABELS = {
    **dict(Association.State.choices),
    "frozen": gettext_lazy("Frozen"),
    "open": pgettext_lazy("account status", "Open"),
}


def _labelled(events):
    events = list(events)
    for event in events:
        event.label = verb_label(event.verb)
        event.from_label = STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = STATE_LABELS.get(event.to_state, event.to_state)
    return events


@capability_required(UNBIND_CUSTOMERS)
def customer_unbind(request, pk: int):
    association = selectors.association_for_user(request.user, pk)
    if not association.is_active:
        messages.info(request, _("This customer is not associated any more."))
        return redirect("customers:detail", pk=pk)
    form = UnbindForm(request.POST or None)
    return posted(
        request,
        form,
        lambda data: services.customer_unbind(
            actor=request.user, association=association, reason=data["reason"]
        ),
        message=lambda _result: (
            _("%(name)s is unbound. Its consumption from now on is booked to its own account.")
            % {"name": association.customer.name}
        ),
        done=reverse("customers:detail", kwargs={"pk": pk}),
    ) or render(
        request,
        "customers/unbind.html",
        {
            "page_title": _("Unbind customer"),
            "association": association,
            "account": selectors.account_for_association(association),
            "form": form,
        },
    )


# ---------------------------------------------------------------- confirming money [our rule]
#
# Every money action has two steps: the form, then a confirmation page that shows the source
# balance and the amount in figures and in words, with a hidden signed token that binds the
# action, its target, the amount (and the reason) to the user. The second POST runs the
# service with the values from the token, so the amount confirmed is the amount moved.

CONFIRM_SALT = "customers.money-confirm"
CONFIRM_MAX_AGE = 15 * 60  # seconds a confirmation page stays valid


def _confirm_token(request, action: str, target: int, values: dict) -> str:
    return signing.dumps(
        {"a": action, "t": target, "u": request.user.pk, "v": values}, salt=CONFIRM_SALT
    )


def _confirmed_values(request, action: str, target: int) -> dict | None:
    """The values the user confirmed, or None (no token, forged, expired or another's)."""
    try:
        data = signing.loads(
            request.POST.get("confirm_token", ""), salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if data.get("a") != action or data.get("t") != target or data.get("u") != request.user.pk:
        return None
    return data["v"]


def _render_confirm(
    request,
    *,
    title,
    back_url,
    token,
    amount,
    rows,
    partner_id,
    limited=True,
    hidden=None,
    amount_label="",
):
    return render(
        request,
        "customers/money_confirm.html",
        {
            "page_title": title,
            "back_url": back_url,
            "token": token,
            "amount": amount,
            "amount_words": in_words(amount),
            "rows": rows,
            "needs_approval": limited and services.needs_approval(partner_id, amount),
            "limit": services.operation_limit(partner_id),
            "hidden": (hidden or {}).items(),
            "amount_label": amount_label or _("Amount"),
        },
    )


def _money_done(request, result, success: str) -> None:
    if isinstance(result, MoneyRequest):
        messages.info(
            request,
            _(
                "%(amount)s is above your limit per operation: the request waits for another "
                "partner admin's approval."
            )
            % {"amount": cny(result.amount)},
        )
    else:
        messages.success(request, success)


def _expired(request) -> None:
    messages.error(
        request, _("This confirmation has expired or does not match. Enter the amount again.")
    )


ACCOUNT_ACTIONS = {
    "fund": (MoneyForm, gettext_lazy("Fund the customer's account"), "amount"),
    "reclaim": (ReclaimForm, gettext_lazy("Reclaim the account balance"), "amount"),
    "budget": (BudgetForm, gettext_lazy("Set the monthly budget"), "monthly_budget"),
}


def _account_rows(request, action: str, association, account, values) -> list:
    """What the confirmation page shows besides the amount: the target and the source."""
    rows = [(_("Customer"), association.customer.name)]
    funds = _reseller_funds(request.user)
    if action == "fund":
        if funds is not None:
            rows.append((_("Paid from your funds from your distributor"), cny(funds.balance)))
        else:
            rows.append((_("Paid from"), _("your own money (outside the portal)")))
        rows.append((_("Customer account balance now"), cny(account.balance)))
    elif action == "reclaim":
        rows.append((_("Taken from the customer account, balance now"), cny(account.balance)))
        if values.get("all"):
            rows.append((_("Reclaim"), _("the whole balance")))
        if funds is not None:
            rows.append((_("Goes back to your funds, now"), cny(funds.balance)))
    else:
        current = account.monthly_budget
        rows.append(
            (_("Budget now"), cny(current) if current is not None else _("not set (frozen)"))
        )
        rows.append((_("Spent this month"), cny(services.month_spend(account, timezone.now()))))
    if values.get("reason"):
        rows.append((_("Why"), values["reason"]))
    return rows


def _account_action(request, pk: int, action: str, success: str):
    form_class, title, amount_field = ACCOUNT_ACTIONS[action]
    association = selectors.association_for_user(request.user, pk)
    account = selectors.account_for_association(association)
    if account is None:
        raise Http404
    back = reverse("customers:detail", args=[pk]) + "?tab=account"
    form = form_class(None if "confirm_token" in request.POST else (request.POST or None))
    if request.method == "POST" and "confirm_token" in request.POST:
        values = _confirmed_values(request, action, account.pk)
        if values is None:
            _expired(request)
        else:
            amount = Decimal(values["amount"])
            try:
                if action == "fund":
                    result = services.account_fund(
                        actor=request.user, account=account, amount=amount, reason=values["reason"]
                    )
                elif action == "reclaim":
                    result = services.account_reclaim(
                        actor=request.user, account=account, amount=amount, reason=values["reason"]
                    )
                else:
                    result = services.account_set_budget(
                        actor=request.user, account=account, monthly_budget=amount
                    )
            except DomainError as exc:
                form = form_class({amount_field: values["amount"], "reason": values.get("reason")})
                form.is_valid()
                exc.add_to_form(form)
            else:
                _money_done(request, result, success)
                return redirect(back)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {"reason": data.get("reason", ""), "all": bool(data.get("reclaim_all"))}
        amount = data.get(amount_field)
        if action == "reclaim" and values["all"]:
            amount = Account.objects.get(pk=account.pk).balance
            if amount <= 0:
                form.add_error(None, _("The account is empty: there is nothing to reclaim."))
        if not form.errors:
            values["amount"] = str(amount)
            return _render_confirm(
                request,
                title=title,
                back_url=back,
                token=_confirm_token(request, action, account.pk, values),
                amount=amount,
                rows=_account_rows(request, action, association, account, values),
                partner_id=association.partner_id,
                limited=action != "budget",
                amount_label=_("Monthly budget") if action == "budget" else "",
            )
    return render(
        request,
        "customers/account_form.html",
        {
            "page_title": title,
            "association": association,
            "account": account,
            "form": form,
            "funds": _reseller_funds(request.user),
        },
    )


def _reseller_funds(user):
    partner = getattr(user, "partner", None)
    if partner is None or partner.parent_distributor_id is None:
        return None
    return Account.objects.filter(partner=partner, kind=Account.Kind.RESELLER_FUNDS).first()


@capability_required(MOVE_MONEY)
def account_fund(request, pk: int):
    return _account_action(request, pk, "fund", _("The account is funded."))


@capability_required(MOVE_MONEY)
def account_reclaim(request, pk: int):
    return _account_action(request, pk, "reclaim", _("The balance is reclaimed."))


@capability_required(MOVE_MONEY)
def account_budget(request, pk: int):
    return _account_action(request, pk, "budget", _("The budget is set; the account is open."))


# ---------------------------------------------------------------- second approval [our rule]


@capability_required(VIEW_MONEY_REQUESTS)
def money_requests(request):
    qs = selectors.money_requests_for(request.user)
    state = request.GET.get("state", MoneyRequest.State.PENDING)
    if state in MoneyRequest.State.values:
        qs = qs.filter(state=state)
    page = _page(request, qs)
    for item in page:
        item.mine = item.requested_by_id == request.user.pk
        item.can_decide = (
            item.state == MoneyRequest.State.PENDING
            and not item.mine
            and request.user.role == "partner_admin"
        )
    return render(
        request,
        "customers/money_requests.html",
        {
            "page_title": _("Waiting for approval"),
            "page_obj": page,
            "state": state,
            "states": MoneyRequest.State.choices,
        },
    )


def _decision(decide, done):
    """A button on a request waiting for approval: `decide(request, item)` (a service)."""
    return row_action(
        VIEW_MONEY_REQUESTS,
        selectors.money_requests_for,
        decide,
        message=done,
        done="customers:money_requests",
    )


money_request_approve = _decision(
    lambda request, item: services.money_request_approve(actor=request.user, request=item),
    gettext_lazy("Approved: the money moved."),
)
money_request_refuse = _decision(
    lambda request, item: services.money_request_refuse(
        actor=request.user, request=item, note=request.POST.get("note", "")[:300]
    ),
    gettext_lazy("Refused: nothing moved."),
)
money_request_cancel = _decision(
    lambda request, item: services.money_request_cancel(actor=request.user, request=item),
    gettext_lazy("Withdrawn."),
)


# ---------------------------------------------------------------- invitations


@capability_required(INVITE_CUSTOMERS)
def invitation_list(request):
    initial = {"billing_model": services.default_billing_model(request.user.partner)}
    form = InvitationForm(request.POST or None, initial=initial)
    created = posted(
        request,
        form,
        lambda data: services.invitation_create(actor=request.user, **data),
        message=lambda invitation: (
            _("Invitation created. Send this link to the customer: %(link)s")
            % {"link": _absolute_link(request, invitation)}
        ),
        done=lambda invitation: reverse("customers:invitations") + f"?created={invitation.pk}",
    )
    if created:
        return created
    qs = selectors.invitations_for(request.user)
    filterset = InvitationFilter(request.GET, queryset=qs)
    page = _page(request, filterset.qs)
    for invitation in page:
        invitation.link = _absolute_link(request, invitation)
    return render(
        request,
        "customers/invitation_list.html",
        {
            "page_title": _("Customer invitations"),
            "form": form,
            "filter": filterset,
            "page_obj": page,
            "created": request.GET.get("created"),
        },
    )


def _absolute_link(request, invitation) -> str:
    return request.build_absolute_uri(reverse("customers:invite", args=[invitation.token]))


invitation_revoke = row_action(
    INVITE_CUSTOMERS,
    selectors.invitations_for,
    lambda request, invitation: services.invitation_revoke(
        actor=request.user, invitation=invitation
    ),
    message=gettext_lazy("The link is revoked."),
    done="customers:invitations",
)


def invite(request, token: str):
    """The page an invitation link opens: anyone may open it; a signed-in customer signs the
    agreement here and is associated."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(
            request,
            "customers/invite.html",
            {"page_title": _("Invitation"), "problem": _("This invitation link is not valid.")},
            status=404,
        )
    user = request.user if request.user.is_authenticated else None
    problem = services.invitation_problem(invitation, user=user)
    latest = services.agreement_ensure_published() if not problem else None
    form = AgreeForm(request.POST or None, initial={"version": latest.version if latest else None})
    if request.method == "POST":
        if user is None:
            return redirect_to_login(request.get_full_path())
        if (
            form.is_valid()
            and not problem
            and _signed(
                form,
                lambda version: services.invitation_accept(
                    actor=user, token=token, agreement_version_id=version.pk
                ),
            )
        ):
            messages.success(
                request,
                _("Your account is now associated with %(partner)s.")
                % {"partner": invitation.partner.name},
            )
            return redirect("customers:me")
    return render(
        request,
        "customers/invite.html",
        {
            "page_title": _("Invitation from %(partner)s") % {"partner": invitation.partner.name},
            "invitation": invitation,
            "problem": problem,
            "agreement": latest,
            "form": form,
        },
    )


def _registration_step(request, token: str):
    """A step of registering through a link: its invitation, or where to go instead (404 for
    no such link; a signed-in user goes to the invitation itself)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if request.user.is_authenticated:
        return None, redirect("customers:invite", token=token)
    return invitation, None


def _signed(form, sign):
    """The agreement form's version must still be the latest one: then `sign(version)`. The
    answer is the signed version, or None when the form has an error instead."""
    version = selectors.latest_agreement()
    if version is None or version.version != form.cleaned_data["version"]:
        form.add_error(
            "agree", _("A newer version of the agreement was published. Read it and sign again.")
        )
        return None
    return on_form(form, lambda: sign(version), version)


def invite_register(request, token: str):
    """Step 1 of registering through a link: the details; the account is not created yet."""
    invitation, elsewhere = _registration_step(request, token)
    if elsewhere:
        return elsewhere
    problem = services.invitation_problem(invitation)
    form = RegisterForm(request.POST or None, initial={"email": invitation.email})

    def start(data):
        services.registration_start(
            invitation=invitation,
            email=data["email"],
            password=data["password1"],
            name=data["name"],
            phone=data["phone"],
        )
        # The same next step whether or not the address has an account [our rule].
        request.session["pc_registration"] = {"token": token, "email": data["email"]}

    return posted(
        request,
        form,
        start,
        when=not problem,
        done=reverse("customers:invite_verify", kwargs={"token": token}),
    ) or render(
        request,
        "customers/register.html",
        {
            "page_title": _("Register"),
            "invitation": invitation,
            "problem": problem,
            "form": form,
        },
    )


def invite_verify(request, token: str):
    """Step 2: the 6-digit code from the e-mail; the right one creates the account."""
    invitation, elsewhere = _registration_step(request, token)
    if elsewhere:
        return elsewhere
    pending = request.session.get("pc_registration") or {}
    if pending.get("token") != token:
        return redirect("customers:invite_register", token=token)
    form = VerifyCodeForm(request.POST or None)

    def verify(data):
        user = services.registration_verify(
            invitation=invitation, email=pending["email"], code=data["code"]
        )
        request.session.pop("pc_registration", None)
        login(request, user, backend="partner_center.accounts.backends.EmailBackend")

    return posted(
        request, form, verify, done=reverse("customers:invite", kwargs={"token": token})
    ) or render(
        request,
        "customers/register_verify.html",
        {
            "page_title": _("Check your e-mail"),
            "invitation": invitation,
            "email": pending["email"],
            "form": form,
        },
    )


# ---------------------------------------------------------------- resources


def _resources_page(request, template: str, title: str, **extra):
    """The resources the user may see, filtered, one page, with the expiry marks: the
    partner's list and the customer's own."""
    qs = selectors.resources_listed(selectors.resources_for(request.user))
    filterset = ResourceFilter(request.GET, queryset=qs)
    now = timezone.now()
    return render(
        request,
        template,
        {
            "page_title": title,
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            "now": now,
            "soon": now + timedelta(days=selectors.EXPIRING_SOON_DAYS),
            **extra,
        },
    )


@capability_required(VIEW_CUSTOMERS)
def resource_list(request):
    return _resources_page(
        request,
        "customers/resource_list.html",
        _("Yearly/monthly resources"),
        can_renew=_can(request, MOVE_MONEY),
        can_manage=_can(request, MANAGE_RESOURCES),
    )


def _renew_page(request, resource, *, done_url: str, mine: bool = False):
    """The renewal form of one resource: the partner's for its customers' resources, the
    customer's for its own. Both call the one renewal service."""
    vouchers = (
        Voucher.objects.filter(
            customer_id=resource.customer_id,
            partner_id=resource.partner_id,  # only this partner's vouchers, never another's
            revoked_at__isnull=True,
            account__balance__gt=0,
        )
        .filter(valid_until__gt=timezone.now())
        .select_related("account")
    )
    form = RenewForm(request.POST or None, resource=resource, vouchers=vouchers)
    account = (
        Account.objects.filter(association_id=resource.association_id).first()
        if resource.association_id
        else None
    )
    return posted(
        request,
        form,
        lambda data: services.resource_renew(actor=request.user, resource=resource, **data),
        message=lambda order: (
            _("Renewed. Order %(no)s; the resource now expires on %(date)s.")
            % {
                "no": order.order_no,
                "date": timezone.localtime(
                    Resource.objects.get(pk=resource.pk).expires_at, SHANGHAI
                ).strftime("%Y-%m-%d"),
            }
        ),
        done=done_url,
    ) or render(
        request,
        "customers/renew.html",
        {
            "page_title": _("Renew %(name)s") % {"name": resource.name},
            "resource": resource,
            "account": account,
            "form": form,
            "mine": mine,
            "back_url": done_url,
        },
    )


@capability_required(MOVE_MONEY)
def resource_renew(request, pk: int):
    resource = get_for_user(selectors.resources_for(request.user), request.user, pk=pk)
    return _renew_page(request, resource, done_url=reverse("customers:resources"))


@capability_required(RENEW_OWN_RESOURCES)
def my_resource_renew(request, pk: int):
    """The customer renews its own resource, paid from its hosted account."""
    resource = selectors.resources_for(request.user).filter(pk=pk).first()
    if resource is None:  # another customer's resource: it does not exist for this one
        raise Http404
    return _renew_page(request, resource, done_url=reverse("customers:my_resources"), mine=True)


@require_POST
def resource_auto_renew(request, pk: int):
    """Set or cancel auto-renew: the partner for its customers' resources, a customer for
    its own."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (MANAGE_RESOURCES.allows(request.user) or CUSTOMER_SELF.allows(request.user)):
        raise PermissionDenied
    resource = selectors.resources_for(request.user).filter(pk=pk).first()
    if resource is None:
        raise Http404
    enabled = request.POST.get("enabled") == "1"
    try:
        services.resource_set_auto_renew(actor=request.user, resource=resource, enabled=enabled)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Auto-renew is on for %(name)s.") % {"name": resource.name}
            if enabled
            else _("Auto-renew is off for %(name)s.") % {"name": resource.name},
        )
    fallback = (
        reverse("customers:my_resources")
        if CUSTOMER_SELF.allows(request.user)
        else reverse("customers:resources")
    )
    next_url = request.POST.get("next", "")
    return redirect(
        next_url if next_url.startswith("/") and not next_url.startswith("//") else fallback
    )


# ---------------------------------------------------------------- orders


@capability_required(VIEW_CUSTOMERS)
def order_list(request):
    qs = selectors.orders_for(request.user).order_by("-formed_at", "-id")
    filterset = OrderFilter(request.GET, queryset=qs)
    return render(
        request,
        "customers/order_list.html",
        {
            "page_title": _("Orders"),
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
        },
    )


@capability_required(VIEW_CUSTOMERS)
def order_detail(request, pk: int):
    order = get_for_user(selectors.orders_for(request.user), request.user, pk=pk)
    return render(
        request,
        "customers/order_detail.html",
        {
            "page_title": _("Order %(no)s") % {"no": order.order_no},
            "order": order,
            "lines": selectors.order_lines(order),
            "entries": order.ledger_entries.select_related("account").order_by("id"),
        },
    )


# ---------------------------------------------------------------- distributor -> resellers


@capability_required(VIEW_RESELLERS)
def reseller_list(request):
    qs = selectors.resellers_for(request.user).order_by("name")
    return render(
        request,
        "customers/reseller_list.html",
        {"page_title": _("Tier-2 resellers"), "page_obj": _page(request, qs)},
    )


RESELLER_ACTIONS = {
    "fund": (
        services.reseller_fund,
        gettext_lazy("Allocate funds"),
        gettext_lazy("Funds allocated."),
    ),
    "reclaim": (
        services.reseller_reclaim,
        gettext_lazy("Take funds back"),
        gettext_lazy("Funds reclaimed."),
    ),
    "grant_quota": (
        services.reseller_grant_quota,
        gettext_lazy("Grant voucher quota"),
        gettext_lazy("Voucher quota granted."),
    ),
    "reduce_quota": (
        services.reseller_reduce_quota,
        gettext_lazy("Reduce voucher quota"),
        gettext_lazy("Voucher quota reduced."),
    ),
}


def _reseller_rows(action: str, reseller, values) -> list:
    rows = [(_("Reseller"), reseller.name)]
    if action == "fund":
        rows.append((_("Paid from"), _("your own money (outside the portal)")))
        rows.append((_("Reseller's funds now"), cny(reseller.funds_balance)))
    elif action == "reclaim":
        rows.append((_("Taken from the reseller's funds, now"), cny(reseller.funds_balance)))
    elif action == "grant_quota":
        rows.append((_("Reseller's voucher quota now"), cny(reseller.quota_balance)))
    else:
        rows.append(
            (_("Taken from the reseller's voucher quota, now"), cny(reseller.quota_balance))
        )
    if values.get("reason"):
        rows.append((_("Why"), values["reason"]))
    return rows


@capability_required(VIEW_RESELLERS)
def reseller_detail(request, pk: int):
    reseller = selectors.reseller_for_user(request.user, pk)
    forms_by_action = {name: MoneyForm(prefix=name) for name in RESELLER_ACTIONS}
    if request.method == "POST":
        if not FUND_RESELLERS.allows(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in RESELLER_ACTIONS:
            raise Http404
        service, title, done = RESELLER_ACTIONS[action]
        if "confirm_token" in request.POST:
            values = _confirmed_values(request, f"reseller_{action}", reseller.pk)
            if values is None:
                _expired(request)
            else:
                try:
                    result = service(
                        actor=request.user,
                        reseller=reseller,
                        amount=Decimal(values["amount"]),
                        reason=values["reason"],
                    )
                except DomainError as exc:
                    form = MoneyForm(
                        {
                            f"{action}-amount": values["amount"],
                            f"{action}-reason": values["reason"],
                        },
                        prefix=action,
                    )
                    form.is_valid()
                    exc.add_to_form(form)
                    forms_by_action[action] = form
                else:
                    _money_done(request, result, str(done))
                    return redirect("customers:reseller_detail", pk=pk)
        else:
            form = MoneyForm(request.POST, prefix=action)
            forms_by_action[action] = form
            if form.is_valid():
                values = {
                    "amount": str(form.cleaned_data["amount"]),
                    "reason": form.cleaned_data["reason"],
                }
                return _render_confirm(
                    request,
                    title=title,
                    back_url=reverse("customers:reseller_detail", args=[pk]),
                    token=_confirm_token(request, f"reseller_{action}", reseller.pk, values),
                    amount=form.cleaned_data["amount"],
                    rows=_reseller_rows(action, reseller, values),
                    partner_id=reseller.parent_distributor_id,
                    hidden={"action": action},
                )
    return render(
        request,
        "customers/reseller_detail.html",
        {
            "page_title": reseller.name,
            "reseller": reseller,
            "forms": forms_by_action,
            "can_fund": FUND_RESELLERS.allows(request.user),
            "entries": _page(request, selectors.distributor_movements_window(reseller)),
            "performance": selectors.reseller_performance(
                reseller, [periods.shift(periods.current_period(), -n) for n in range(3)]
            ),
        },
    )


@capability_required(VIEW_RESELLER_FUNDS)
def funds(request):
    partner = request.user.partner
    reseller = selectors.resellers_for_self(request.user)
    return render(
        request,
        "customers/funds.html",
        {
            "page_title": _("Funds and voucher quota"),
            "reseller": reseller,
            "distributor": partner.parent_distributor,
            "entries": _page(request, selectors.reseller_ledger_window(partner)),
        },
    )


# ---------------------------------------------------------------- vouchers


@capability_required(VIEW_RESELLER_FUNDS)
def voucher_list(request):
    associations = (
        Association.objects.filter(partner=request.user.partner, state=Association.State.ACTIVE)
        .select_related("customer")
        .order_by("customer__name")
    )
    can_issue = ISSUE_VOUCHERS.allows(request.user)
    confirming = "confirm_token" in request.POST
    form = VoucherIssueForm(
        None if confirming else (request.POST or None), associations=associations
    )
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        if confirming:
            values = _confirmed_values(request, "voucher_issue", request.user.partner_id)
            association = associations.filter(pk=values["association"]).first() if values else None
            if association is None:
                _expired(request)
            else:
                try:
                    voucher = services.voucher_issue(
                        actor=request.user,
                        association=association,
                        face_value=Decimal(values["amount"]),
                        valid_until=datetime.fromisoformat(values["valid_until"]),
                    )
                except DomainError as exc:
                    form = VoucherIssueForm(
                        {
                            "association": association.pk,
                            "face_value": values["amount"],
                            "valid_until": values["valid_until"][:10],
                        },
                        associations=associations,
                    )
                    form.is_valid()
                    exc.add_to_form(form)
                else:
                    if isinstance(voucher, MoneyRequest):
                        _money_done(request, voucher, "")
                    else:
                        messages.success(
                            request, _("Voucher %(code)s issued.") % {"code": voucher.code}
                        )
                    return redirect("customers:vouchers")
        elif form.is_valid():
            association = form.cleaned_data["association"]
            amount = form.cleaned_data["face_value"]
            valid_until = form.valid_until_moment()
            quota = selectors.resellers_for_self(request.user)
            values = {
                "amount": str(amount),
                "association": association.pk,
                "valid_until": valid_until.isoformat(),
            }
            return _render_confirm(
                request,
                title=_("Issue a voucher"),
                back_url=reverse("customers:vouchers"),
                token=_confirm_token(request, "voucher_issue", request.user.partner_id, values),
                amount=amount,
                rows=[
                    (_("Customer"), association.customer.name),
                    (_("Paid from your voucher quota, now"), cny(quota.quota_balance)),
                    (_("Valid until"), valid_until.strftime("%Y-%m-%d")),
                ],
                partner_id=association.partner_id,
            )
    filterset = VoucherFilter(request.GET, queryset=selectors.vouchers_for(request.user))
    return render(
        request,
        "customers/voucher_list.html",
        {
            "page_title": _("Vouchers"),
            "form": form,
            "can_issue": can_issue,
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            "reseller": selectors.resellers_for_self(request.user),
        },
    )


voucher_revoke = row_action(
    ISSUE_VOUCHERS,
    selectors.vouchers_for,
    lambda request, voucher: services.voucher_revoke(actor=request.user, voucher=voucher),
    message=lambda request, voucher: _("Voucher %(code)s revoked.") % {"code": voucher.code},
    done="customers:vouchers",
)


# ---------------------------------------------------------------- the customer's own pages


@capability_required(CUSTOMER_SELF)
def me(request):
    home = selectors.customer_home(request.user)
    form = AgreeForm(
        request.POST or None, initial={"version": home.latest.version if home.latest else None}
    )
    signed = (
        request.method == "POST"
        and form.is_valid()
        and _signed(
            form, lambda version: services.agreement_sign(actor=request.user, version=version)
        )
    )
    if signed:
        messages.success(
            request, _("You signed version %(v)s of the agreement.") % {"v": signed.version}
        )
        return redirect("customers:me")
    return render(
        request,
        "customers/me.html",
        {
            "page_title": _("My partner"),
            "home": home,
            "form": form,
            "past": selectors.customer_past_associations(home.customer) if home.customer else [],
        },
    )


@capability_required(CUSTOMER_SELF)
def my_vouchers(request):
    qs = selectors.vouchers_for(request.user)
    return render(
        request,
        "customers/my_vouchers.html",
        {"page_title": _("My vouchers"), "page_obj": _page(request, qs)},
    )


@capability_required(CUSTOMER_SELF)
def my_resources(request):
    return _resources_page(request, "customers/my_resources.html", _("My yearly/monthly resources"))
