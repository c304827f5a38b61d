from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from partner_center.home import cards_for
from partner_center.programs.selectors import is_pce_member
from partner_center.todo import todo_for

from .forms import EmailAuthenticationForm
from .permissions import PARTNER_ROLES, Role

HOME_TEMPLATES = {
    Role.PARTNER_ADMIN: "accounts/home_partner.html",
    Role.PARTNER_MEMBER: "accounts/home_partner.html",
    Role.BD: "accounts/home_bd.html",
    Role.CERT_SPECIALIST: "accounts/home_specialist.html",
    Role.CUSTOMER: "accounts/home_customer.html",
    Role.ADMIN: "accounts/home_admin.html",
}


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": _("Sign in")}


@login_required
def home(request):
    """The landing page of each role."""
    user = request.user
    role = Role.ADMIN if user.is_superuser and user.role not in HOME_TEMPLATES else user.role
    todo_items, todo_kinds = todo_for(user)
    context = {
        "page_title": _("Home"),
        "cards": cards_for(user),
        "todo_items": todo_items,
        "todo_count": len(todo_items),
    }
    if role in PARTNER_ROLES:
        if user.partner is None:
            return redirect("logout")
        context["partner"] = user.partner
        context["pce_member"] = is_pce_member(user.partner_id)
    return render(request, HOME_TEMPLATES[role], context)


@login_required
def todo(request):
    """Everything that waits for this user, across the modules (partner_center/todo.py)."""
    todo_items, todo_kinds = todo_for(request.user)
    return render(
        request,
        "accounts/todo.html",
        {"page_title": _("Needs me"), "todo_items": todo_items, "todo_kinds": todo_kinds},
    )


@login_required
def search(request):
    """Global search over what the user may see (partner_center/globalsearch.py)."""
    from partner_center.globalsearch import menu_hits
    from partner_center.globalsearch import search as find
    from partner_center.menus import menu_for

    query = request.GET.get("q", "").strip()[:100]
    sections = find(request.user, query)
    pages = menu_hits(request.user, query, menu_for(request.user))
    return render(
        request,
        "accounts/search.html",
        {
            "page_title": _("Search"),
            "query": query,
            "sections": sections,
            "pages": pages,
            "found_any": bool(pages) or any(s.hits for s in sections),
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page with limits per address and per e-mail (see security.lockout)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        from partner_center.security.lockout import password_reset_allowed

        address_ok, email_ok = password_reset_allowed(self.request, form.cleaned_data["email"])
        if not address_ok:
            form.add_error(
                None, _("Too many reset requests from your network. Try again in an hour.")
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = "3600"
            return response
        if not email_ok:  # same answer as a sent mail: tells nothing about the account
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
