from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Partner, PartnerTypeMembership, User
from .permissions import PartnerType


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


class PartnerTypeMembershipInline(admin.TabularInline):
    model = PartnerTypeMembership
    extra = 0
    fields = ("partner_type", "joined_at", "exited_at")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
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
    inlines = [PartnerTypeMembershipInline]
    list_select_related = ("parent_distributor",)
    readonly_fields = ("is_active", "deregistered_at")
    actions = ["deregister"]

    @admin.action(description=_("Deregister the selected partners (refused while on a path)"))
    def deregister(self, request, queryset):
        from partner_center.errors import DomainError
        from partner_center.programs.services import partner_deregister

        for partner in queryset:
            try:
                partner_deregister(actor=request.user, partner=partner, confirm_name=partner.name)
            except DomainError as exc:
                self.message_user(request, f"{partner}: {exc.message}", messages.WARNING)
            else:
                self.message_user(request, _("%(partner)s deregistered.") % {"partner": partner})


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

    def save_model(self, request, obj, form, change):
        old_partner_id = form.initial.get("partner") if change else None
        super().save_model(request, obj, form, change)
        # The link history (members app) must know every link, however it was made.
        from partner_center.members.services import member_record_partner_change

        member_record_partner_change(actor=request.user, user=obj, old_partner_id=old_partner_id)

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
class PartnerTypeMembershipAdmin(admin.ModelAdmin):
    list_display = ("partner", "partner_type", "joined_at", "exited_at")
    list_filter = ("partner_type", ("exited_at", admin.EmptyFieldListFilter))
    search_fields = ("partner__name", "partner__credit_code")
    raw_id_fields = ("partner",)
    list_select_related = ("partner",)
