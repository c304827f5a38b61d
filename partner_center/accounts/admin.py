from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partner_center.service_admin import (
    ReadOnlyAdmin,
    ServiceAdmin,
    run_per_object,
)

from . import services
from .models import Partner, PartnerTypeMembership, User
from .permissions import PartnerType, Role


class PartnerTypeFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return PartnerType.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                type_memberships__partner_type=self.value(),
                type_memberships__exited_at__isnull=True,
            )
        return queryset


class PartnerAdminForm(forms.ModelForm):
    types = forms.MultipleChoiceField(
        label=_("types"),
        choices=PartnerType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A tier-2 reseller needs its distributor."),
    )

    class Meta:
        model = Partner
        fields = (
            "name",
            "credit_code",
            "contact_email",
            "contact_phone",
            "legal_representative",
            "parent_distributor",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["types"].initial = sorted(self.instance.type_codes)


@admin.register(Partner)
class PartnerAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """Partners are created and changed through the accounts services (type rules, events);
    the legal representative through its recorded change; contact details by the partner
    itself with a confirmation code. History shows who changed what, and when."""

    form = PartnerAdminForm
    list_display = (
        "name",
        "credit_code",
        "contact_email",
        "parent_distributor",
        "is_active",
        "created_at",
    )
    list_filter = (PartnerTypeFilter, "is_active")
    search_fields = ("name", "credit_code", "contact_email")
    raw_id_fields = ("parent_distributor",)
    list_select_related = ("parent_distributor",)
    actions = ["deregister"]

    def get_fields(self, request, obj=None):
        fields = [
            "name",
            "credit_code",
            "contact_email",
            "contact_phone",
            "legal_representative",
            "types",
            "parent_distributor",
        ]
        return fields + (
            ["type_history", "is_active", "deregistered_at", "created_at"] if obj else []
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "credit_code",
            "contact_email",
            "contact_phone",
            "type_history",
            "is_active",
            "deregistered_at",
            "created_at",
        )

    @admin.display(description=_("type history"))
    def type_history(self, partner):
        """The partner's types over time (read-only: the `types` field changes them)."""
        rows = partner.type_memberships.order_by("joined_at")
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{} · {} – {}",
            (
                (
                    m.get_partner_type_display(),
                    f"{m.joined_at:%Y-%m-%d}",
                    f"{m.exited_at:%Y-%m-%d}" if m.exited_at else "",
                )
                for m in rows
            ),
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a partner leaves by deregistration (the action), never by deletion

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.partner_create(
                actor=request.user,
                name=data["name"],
                credit_code=data["credit_code"],
                contact_email=data["contact_email"],
                contact_phone=data.get("contact_phone", ""),
                legal_representative=data.get("legal_representative", ""),
                types=data["types"],
                parent_distributor=data.get("parent_distributor"),
            )
            obj.pk = created.pk
            obj.credit_code = created.credit_code
            return
        services.partner_update(
            actor=request.user,
            partner=obj,
            name=data["name"],
            types=data["types"],
            parent_distributor=data.get("parent_distributor"),
        )
        new_rep = (data.get("legal_representative") or "").strip()
        if "legal_representative" in form.changed_data and new_rep:
            from partner_center.members.services import partner_change_legal_representative

            partner_change_legal_representative(actor=request.user, partner=obj, name=new_rep)
        elif "legal_representative" in form.changed_data:
            from partner_center.errors import DomainError

            raise DomainError(
                _("Enter the new legal representative's name."), field="legal_representative"
            )

    def save_related(self, request, form, formsets, change):
        pass  # types are saved by the services in save_model

    @admin.action(description=_("Deregister the selected partners (refused while on a path)"))
    def deregister(self, request, queryset):
        from partner_center.programs.services import partner_deregister

        run_per_object(
            self,
            request,
            queryset,
            lambda partner: partner_deregister(
                actor=request.user, partner=partner, confirm_name=partner.name
            ),
            _("%(n)s partners deregistered."),
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "role",
        "partner",
        "real_name_status",
        "site",
        "is_active",
    )
    list_filter = ("role", "real_name_status", "site", "is_active", "is_staff")
    search_fields = ("email", "full_name", "partner__name")
    raw_id_fields = ("partner",)
    list_select_related = ("partner",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Person"),
            {"fields": ("full_name", "phone", "real_name_status", "site", "is_partner_account")},
        ),
        (_("Role"), {"fields": ("role", "partner", "can_move_money")}),
        (
            _("Django admin"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The right to move money is granted on the partner's Members page, where the
        # service records who gave or took it.
        return ("can_move_money",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        old_partner_id = form.initial.get("partner") if change else None
        super().save_model(request, obj, form, change)
        # The link history (members app) must know every link, however it was made.
        from partner_center.members.services import member_record_partner_change

        member_record_partner_change(actor=request.user, user=obj, old_partner_id=old_partner_id)
        if change and "is_active" in form.changed_data and not obj.is_active and obj.partner_id:
            # A deactivated person leaves its partner's deals (opportunities hands them over).
            from partner_center.members.signals import member_left

            member_left.send(
                sender=type(obj), user=obj, partner_id=obj.partner_id, actor=request.user
            )
        if (
            change
            and "is_active" in form.changed_data
            and not obj.is_active
            and obj.role == Role.BD
        ):
            # A deactivated BD user's deals and leads lose their BD owner (unassigned).
            from opportunities.services.owners import release_bd_deals

            release_bd_deals(actor=request.user, user=obj)

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "partner", "password1", "password2"),
            },
        ),
    )


@admin.register(PartnerTypeMembership)
class PartnerTypeMembershipAdmin(ReadOnlyAdmin):
    """Read-only: a partner's types change on the partner's page, through the services."""

    list_display = ("partner", "partner_type", "joined_at", "exited_at")
    list_filter = ("partner_type", ("exited_at", admin.EmptyFieldListFilter))
    search_fields = ("partner__name", "partner__credit_code")
    raw_id_fields = ("partner",)
    list_select_related = ("partner",)
