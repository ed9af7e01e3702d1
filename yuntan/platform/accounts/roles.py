"""What a role brings with it: a Django group with the role's permissions, and staff status
for platform administrators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ROLE_GROUP_PREFIX = "role:"


def role_group(role: str) -> Group:
    """The group of ``role`` with exactly the permissions listed in ROLE_PERMISSIONS."""
    from yuntan.platform.accounts.models import ROLE_PERMISSIONS

    group, _ = Group.objects.get_or_create(name=f"{ROLE_GROUP_PREFIX}{role}")
    wanted = ROLE_PERMISSIONS.get(role, ())
    query = Q(pk__in=[])
    for name in wanted:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(wanted):
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        raise LookupError(f"permissions missing for role {role}: {set(wanted) - found} "
                          f"(run migrate)")
    group.permissions.set(permissions)
    return group


def apply_role(user: Any, role: str) -> None:
    """Put ``user`` in the group of ``role`` only; platform administrators are staff."""
    from yuntan.platform.accounts.models import Role

    others = user.groups.filter(name__startswith=ROLE_GROUP_PREFIX)
    user.groups.remove(*others)
    user.groups.add(role_group(role))
    is_admin = role == Role.PLATFORM_ADMIN
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
