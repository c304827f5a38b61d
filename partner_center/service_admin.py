"""Django admin as one more door into the services.

`ServiceAdmin` turns a refusal raised by a service while saving (`DomainError`, including
`NotAllowed`) into form errors on the same page, with the admin's input kept: the save is
rolled back, the page is rendered again and the message sits next to its field (or on top).
`run_per_object` is the shared body of admin actions that call a service per row,
`per_object_action` such an action whole."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction

from partner_center.errors import DomainError


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose `save_model`/`save_related`/`delete_model` call services."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            # Render the same POST again; the form now carries the refusal as an error.
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                # As a form error even for NotAllowed: admin shows the refusal on the page.
                DomainError.add_to_form(refusal, self)
                return cleaned

        return RefusedForm

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except DomainError as refusal:
            self.message_user(request, str(refusal.message), messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.path)


def run_per_object(
    modeladmin,
    request,
    queryset,
    fn,
    done,
    *,
    name=str,
    level=messages.ERROR,
    done_level=messages.SUCCESS,
    done_always=False,
) -> int:
    """Call `fn(obj)` (a service) for each selected row; a refusal is a message (`level`)
    naming the row (`name(obj)`), the other rows go on. `done` is a message (`done_level`)
    with `%(n)s`, or a plain one the count is put after in brackets; said when a row was
    done, or always (`done_always`)."""
    ok = 0
    for obj in queryset:
        try:
            fn(obj)
            ok += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{name(obj)}: {exc.message}", level)
    if ok or done_always:
        text = done % {"n": ok} if "%(n)s" in str(done) else f"{done} ({ok})"
        modeladmin.message_user(request, text, done_level)
    return ok


def per_object_action(description, call, done, **options):
    """An admin action (`description`) that runs `call(actor, obj)`, a service, for each
    selected row: `run_per_object` with `done` and its `options`."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        run_per_object(
            modeladmin, request, queryset, lambda obj: call(request.user, obj), done, **options
        )

    return action


def by_pk(obj) -> str:
    """A row named by its number (`#12`), for `run_per_object(name=...)`."""
    return f"#{obj.pk}"


class KeptRecordAdmin:
    """A mixin for an admin page of rows that are made and ended elsewhere (the portal, the
    services, imports): never added or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShowOnlyAdmin(admin.ModelAdmin):
    """An admin page that shows rows (and may delete them), never adds or changes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(KeptRecordAdmin, admin.ModelAdmin):
    """An admin page that only shows rows (their writes go through services elsewhere)."""

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that only shows the related rows."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
