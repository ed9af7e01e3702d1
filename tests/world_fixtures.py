"""A small province of organisations and one user per role, to test who may see and do
what (used by the ``world`` fixture in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yuntan.identifiers import uscc_check_character


def make_uscc(serial: int, region: str = "530100") -> str:
    """A valid unified social credit code (enterprise, registered in ``region``)."""
    body = f"91{region}{serial:09d}"
    return body + uscc_check_character(body)


@dataclass
class World:
    """Organisations by short name and users by role name (see :func:`build_world`)."""

    orgs: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    """Enterprises A (Kunming) and B (Pu'er), a verification body, the certification body,
    the provincial department, Pu'er's department and the platform operator; one user per
    role, named after it (password "pw-<name>-123")."""
    from django.contrib.auth.models import User

    from yuntan.platform.accounts.models import Membership, Organisation

    w = World()
    specs = {
        "enterprise_a": dict(kind="enterprise", name_zh="甲铝业", name_en="A Aluminium",
                             uscc=make_uscc(1), prefecture="530100"),
        "enterprise_b": dict(kind="enterprise", name_zh="乙咖啡", name_en="B Coffee",
                             uscc=make_uscc(2, "530800"), prefecture="530800"),
        "verification_body": dict(kind="verification_body", name_zh="核查机构",
                                  name_en="Verifier Ltd"),
        "certification_body": dict(kind="certification_body", name_zh="认证机构",
                                   name_en="Certifier"),
        "province": dict(kind="government", name_zh="省厅", name_en="Province",
                         government_level="province"),
        "puer": dict(kind="government", name_zh="普洱市局", name_en="Pu'er bureau",
                     government_level="prefecture", prefecture="530800"),
        "operator": dict(kind="operator", name_zh="平台运营方", name_en="Operator"),
    }
    for name, spec in specs.items():
        w.orgs[name] = Organisation.objects.create(**spec)
    people = {
        "admin_a": ("enterprise_a", "enterprise_admin"),
        "member_a": ("enterprise_a", "enterprise_member"),
        "admin_b": ("enterprise_b", "enterprise_admin"),
        "verifier": ("verification_body", "verifier"),
        "certifier": ("certification_body", "certifier"),
        "province_viewer": ("province", "government_viewer"),
        "puer_viewer": ("puer", "government_viewer"),
        "curator": ("province", "factor_curator"),
        "platform_admin": ("operator", "platform_admin"),
    }
    for username, (org, role) in people.items():
        user = User.objects.create_user(username, password=f"pw-{username}-123")
        Membership.objects.create(user=user, organisation=w.orgs[org], role=role)
        w.users[username] = user
    w.users["outsider"] = User.objects.create_user("outsider", password="pw-outsider-123")
    return w
