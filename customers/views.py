"""Pages: the partner's customers, invitations, accounts, resources, orders, resellers and
vouchers; the customer's own pages. Views parse and authorize; services decide."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required, get_for_user
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.paging import Paginator

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
    VoucherIssueForm,
)
from .models import SHANGHAI, Account, Association, Order, Resource, Voucher
from .permissions import (
    CUSTOMER_SELF,
    FUND_RESELLERS,
    INVITE_CUSTOMERS,
    ISSUE_VOUCHERS,
    MANAGE_RESOURCES,
    MOVE_MONEY,
    UNBIND_CUSTOMERS,
    VIEW_CUSTOMERS,
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


EVENT_LABELS = {
    "association.created": gettext_lazy("Associated through the invitation link"),
    "association.unbound": gettext_lazy("Unbound"),
    "account.budget_set": gettext_lazy("Monthly budget set"),
}


STATE_LABELS = {
    **dict(Association.State.choices),
    "frozen": gettext_lazy("Frozen"),
    "open": gettext_lazy("Open"),
}


def _labelled(events):
    events = list(events)
    for event in events:
        event.label = EVENT_LABELS.get(event.verb, event.verb)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_unbind(
                actor=request.user, association=association, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(name)s is unbound. Its consumption from now on is booked to its own account.")
                % {"name": association.customer.name},
            )
            return redirect("customers:detail", pk=pk)
    return render(
        request,
        "customers/unbind.html",
        {
            "page_title": _("Unbind customer"),
            "association": association,
            "account": selectors.account_for_association(association),
            "form": form,
        },
    )


def _account_action(request, pk: int, form_class, action, title: str, success: str):
    association = selectors.association_for_user(request.user, pk)
    account = selectors.account_for_association(association)
    if account is None:
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(account, form.cleaned_data)
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, success)
            return redirect(reverse("customers:detail", args=[pk]) + "?tab=account")
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
    return _account_action(
        request,
        pk,
        MoneyForm,
        lambda account, data: services.account_fund(
            actor=request.user, account=account, amount=data["amount"], reason=data["reason"]
        ),
        _("Fund the customer's account"),
        _("The account is funded."),
    )


@capability_required(MOVE_MONEY)
def account_reclaim(request, pk: int):
    return _account_action(
        request,
        pk,
        ReclaimForm,
        lambda account, data: services.account_reclaim(
            actor=request.user, account=account, amount=data["amount"], reason=data["reason"]
        ),
        _("Reclaim the account balance"),
        _("The balance is reclaimed."),
    )


@capability_required(MOVE_MONEY)
def account_budget(request, pk: int):
    return _account_action(
        request,
        pk,
        BudgetForm,
        lambda account, data: services.account_set_budget(
            actor=request.user, account=account, monthly_budget=data["monthly_budget"]
        ),
        _("Set the monthly budget"),
        _("The budget is set; the account is open."),
    )


# ---------------------------------------------------------------- invitations


@capability_required(INVITE_CUSTOMERS)
def invitation_list(request):
    initial = {"billing_model": services.default_billing_model(request.user.partner)}
    form = InvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            messages.success(
                request,
                _("Invitation created. Send this link to the customer: %(link)s")
                % {"link": _absolute_link(request, invitation)},
            )
            return redirect(reverse("customers:invitations") + f"?created={invitation.pk}")
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


@require_POST
@capability_required(INVITE_CUSTOMERS)
def invitation_revoke(request, pk: int):
    invitation = get_for_user(selectors.invitations_for(request.user), request.user, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The link is revoked."))
    return redirect("customers:invitations")


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
        if form.is_valid() and not problem:
            version = selectors.latest_agreement()
            if version.version != form.cleaned_data["version"]:
                form.add_error(
                    "agree",
                    _("A newer version of the agreement was published. Read it and sign again."),
                )
            else:
                try:
                    services.invitation_accept(
                        actor=user, token=token, agreement_version_id=version.pk
                    )
                except DomainError as exc:
                    exc.add_to_form(form)
                else:
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


def invite_register(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if request.user.is_authenticated:
        return redirect("customers:invite", token=token)
    problem = services.invitation_problem(invitation)
    form = RegisterForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.customer_register(
                email=data["email"],
                password=data["password1"],
                name=data["name"],
                phone=data["phone"],
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            login(request, user, backend="partner_center.accounts.backends.EmailBackend")
            return redirect("customers:invite", token=token)
    return render(
        request,
        "customers/register.html",
        {
            "page_title": _("Register"),
            "invitation": invitation,
            "problem": problem,
            "form": form,
        },
    )


# ---------------------------------------------------------------- resources


def _expiry_marks() -> dict:
    now = timezone.now()
    return {"now": now, "soon": now + timedelta(days=selectors.EXPIRING_SOON_DAYS)}


@capability_required(VIEW_CUSTOMERS)
def resource_list(request):
    qs = selectors.resources_listed(selectors.resources_for(request.user))
    filterset = ResourceFilter(request.GET, queryset=qs)
    return render(
        request,
        "customers/resource_list.html",
        {
            "page_title": _("Yearly/monthly resources"),
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            **_expiry_marks(),
            "can_renew": _can(request, MOVE_MONEY),
            "can_manage": _can(request, MANAGE_RESOURCES),
        },
    )


@capability_required(MOVE_MONEY)
def resource_renew(request, pk: int):
    resource = get_for_user(selectors.resources_for(request.user), request.user, pk=pk)
    vouchers = (
        Voucher.objects.filter(
            customer_id=resource.customer_id, revoked_at__isnull=True, account__balance__gt=0
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
    if request.method == "POST" and form.is_valid():
        try:
            order = services.resource_renew(
                actor=request.user,
                resource=resource,
                periods=form.cleaned_data["periods"],
                voucher=form.cleaned_data["voucher"],
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            messages.success(
                request,
                _("Renewed. Order %(no)s; the resource now expires on %(date)s.")
                % {
                    "no": order.order_no,
                    "date": timezone.localtime(
                        Resource.objects.get(pk=pk).expires_at, SHANGHAI
                    ).strftime("%Y-%m-%d"),
                },
            )
            return redirect("customers:resources")
    return render(
        request,
        "customers/renew.html",
        {
            "page_title": _("Renew %(name)s") % {"name": resource.name},
            "resource": resource,
            "account": account,
            "form": form,
        },
    )


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
    "fund": (services.reseller_fund, _("Funds allocated.")),
    "reclaim": (services.reseller_reclaim, _("Funds reclaimed.")),
    "grant_quota": (services.reseller_grant_quota, _("Voucher quota granted.")),
    "reduce_quota": (services.reseller_reduce_quota, _("Voucher quota reduced.")),
}


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
        form = MoneyForm(request.POST, prefix=action)
        forms_by_action[action] = form
        if form.is_valid():
            service, done = RESELLER_ACTIONS[action]
            try:
                service(
                    actor=request.user,
                    reseller=reseller,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, done)
                return redirect("customers:reseller_detail", pk=pk)
    return render(
        request,
        "customers/reseller_detail.html",
        {
            "page_title": reseller.name,
            "reseller": reseller,
            "forms": forms_by_action,
            "can_fund": FUND_RESELLERS.allows(request.user),
            "entries": _page(request, selectors.reseller_ledger_window(reseller)),
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
    form = VoucherIssueForm(request.POST or None, associations=associations)
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        if form.is_valid():
            try:
                voucher = services.voucher_issue(
                    actor=request.user,
                    association=form.cleaned_data["association"],
                    face_value=form.cleaned_data["face_value"],
                    valid_until=form.valid_until_moment(),
                )
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, _("Voucher %(code)s issued.") % {"code": voucher.code})
                return redirect("customers:vouchers")
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


@require_POST
@capability_required(ISSUE_VOUCHERS)
def voucher_revoke(request, pk: int):
    voucher = get_for_user(selectors.vouchers_for(request.user), request.user, pk=pk)
    try:
        services.voucher_revoke(actor=request.user, voucher=voucher)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Voucher %(code)s revoked.") % {"code": voucher.code})
    return redirect("customers:vouchers")


# ---------------------------------------------------------------- the customer's own pages


@capability_required(CUSTOMER_SELF)
def me(request):
    home = selectors.customer_home(request.user)
    form = AgreeForm(
        request.POST or None, initial={"version": home.latest.version if home.latest else None}
    )
    if request.method == "POST" and form.is_valid():
        version = selectors.latest_agreement()
        if version is None or version.version != form.cleaned_data["version"]:
            form.add_error(
                "agree",
                _("A newer version of the agreement was published. Read it and sign again."),
            )
        else:
            try:
                services.agreement_sign(actor=request.user, version=version)
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                messages.success(
                    request,
                    _("You signed version %(v)s of the agreement.") % {"v": version.version},
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
    qs = selectors.resources_listed(selectors.resources_for(request.user))
    filterset = ResourceFilter(request.GET, queryset=qs)
    return render(
        request,
        "customers/my_resources.html",
        {
            "page_title": _("My yearly/monthly resources"),
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            **_expiry_marks(),
        },
    )
