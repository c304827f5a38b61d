"""What many pages do alike: a form posted through a service, a filtered list of pages.

`posted` is the one way a page sends its form to a service: the service's refusal shows on
the form (next to its field when it names one; a refusal of the actor still answers 403, see
`NotAllowed.add_to_form`), its success flashes a message and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required, get_for_user
from partner_center.errors import DomainError
from partner_center.paging import Paginator


def on_form(form, call: Callable[[], Any], done: Any = True):
    """`call()`; a DomainError goes on `form` and the answer is None. Otherwise the answer is
    `done` (or, when it is a function, `done` of the call's result)."""
    try:
        result = call()
    except DomainError as exc:
        exc.add_to_form(form)
        return None
    return done(result) if callable(done) else done


def posted(
    request,
    form,
    call: Callable[[dict], Any],
    *,
    done: Any,
    message: Any = None,
    when: bool = True,
):
    """On a POST (and `when`) with a valid form: `call(form.cleaned_data)`. A DomainError goes
    on the form and the answer is None (the page shows the form again). Otherwise `message`
    (a text, or a function of the call's result) is flashed, and the answer is a redirect to
    `done` (what `redirect` takes, or a function of the result giving it)."""
    if request.method != "POST" or not when or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except DomainError as exc:
        exc.add_to_form(form)
        return None
    if message is not None:
        messages.success(request, message(result) if callable(message) else message)
    return redirect(done(result) if callable(done) else done)


def acted(request, call: Callable[[], Any], *, message: Any, done: Any, level=messages.success):
    """A button that posts no form: `call()`; its refusal is flashed as an error, its success as
    `message` (with `level`); either way the answer is a redirect to `done`."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        level(request, message)
    return redirect(done)


def row_action(cap, rows: Callable, call: Callable, *, message: Any, done: Any):
    """The view of a button (POST, `cap` required) on one row of a list: the row with `pk`
    among `rows(user)` (404 if not the user's), then `acted` with `call(request, row)`;
    `message` is the success text or `message(request, row)` makes it."""

    @require_POST
    @capability_required(cap)
    def view(request, pk: int):
        row = get_for_user(rows(request.user), request.user, pk=pk)
        return acted(
            request,
            lambda: call(request, row),
            message=message(request, row) if callable(message) else message,
            done=done,
        )

    return view


def page_of(request, queryset, size: int = 20):
    """The page the request asks for (`?page=`) of `queryset`, `size` rows a page."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def filtered_page(request, filterset, size: int = 20):
    """The requested page of what a bound and valid filter keeps; of everything otherwise."""
    ok = filterset.is_bound and filterset.is_valid()
    return page_of(request, filterset.qs if ok else filterset.queryset, size)
