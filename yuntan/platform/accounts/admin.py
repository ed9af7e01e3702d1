from django.contrib import admin

from yuntan.platform.accounts.models import Invitation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name_zh", "kind", "prefecture", "uscc")
    list_filter = ("kind", "prefecture")
    search_fields = ("name_zh", "name_en", "uscc")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    readonly_fields = ("token_sha256",)
