"""Organisations, roles, the access helper and invitations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from world_fixtures import World, make_uscc

from yuntan.platform.accounts import access
from yuntan.platform.accounts.models import Invitation, Membership, Organisation


def _as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- organisations and memberships --------------------------------------------------------

@pytest.mark.django_db
def test_an_enterprise_needs_a_valid_credit_code_and_a_prefecture() -> None:
    with pytest.raises(ValidationError) as caught:
        Organisation.objects.create(kind="enterprise", name_zh="无码企业")
    assert set(caught.value.message_dict) == {"uscc", "prefecture"}

    typo = make_uscc(7)[:-1] + ("0" if make_uscc(7)[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="check character"):
        Organisation.objects.create(kind="enterprise", name_zh="错码企业", uscc=typo,
                                    prefecture="530100")

    typed = " " + make_uscc(8).lower() + " "
    org = Organisation.objects.create(kind="enterprise", name_zh="好企业", uscc=typed,
                                      prefecture="530300")
    assert org.uscc == make_uscc(8)


@pytest.mark.django_db
def test_a_credit_code_belongs_to_one_organisation(world: World) -> None:
    with pytest.raises(ValidationError, match="uscc"):
        Organisation.objects.create(kind="enterprise", name_zh="冒名", uscc=make_uscc(1),
                                    prefecture="530100")


@pytest.mark.django_db
@pytest.mark.parametrize("spec, field", [
    (dict(kind="government", name_zh="某局"), "government_level"),
    (dict(kind="government", name_zh="某州局", government_level="prefecture"), "prefecture"),
    (dict(kind="government", name_zh="省局", government_level="province",
          prefecture="530100"), "prefecture"),
    (dict(kind="verification_body", name_zh="核查", government_level="province"),
     "government_level"),
    (dict(kind="enterprise", name_zh="外省", uscc=make_uscc(9), prefecture="110100"),
     "prefecture"),
])
def test_government_and_prefecture_rules(spec: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Organisation.objects.create(**spec)
    assert field in caught.value.message_dict


@pytest.mark.django_db
def test_a_role_must_fit_the_organisation(world: World) -> None:
    user = User.objects.create_user("mismatch")
    with pytest.raises(ValidationError, match="不适用于"):  # Chinese first
        Membership.objects.create(user=user, organisation=world.orgs["enterprise_a"],
                                  role="verifier")


@pytest.mark.django_db
def test_roles_bring_their_permissions(world: World) -> None:
    curator = User.objects.get(username="curator")
    assert curator.has_perm("factors.publish_factorversion")
    assert curator.has_perm("factors.change_factorversion")
    assert not curator.is_staff
    admin_a = User.objects.get(username="admin_a")
    assert not admin_a.has_perm("factors.publish_factorversion")
    platform_admin = User.objects.get(username="platform_admin")
    assert platform_admin.is_staff and platform_admin.is_superuser


@pytest.mark.django_db
def test_changing_a_role_takes_the_old_permissions_away(world: World) -> None:
    membership = Membership.objects.get(user__username="curator")
    membership.organisation = world.orgs["province"]
    membership.role = "government_viewer"
    membership.save()
    curator = User.objects.get(username="curator")  # fresh: permissions are cached per object
    assert not curator.has_perm("factors.publish_factorversion")
    assert [g.name for g in curator.groups.all()] == ["role:government_viewer"]


# --- the access helper --------------------------------------------------------------------

VISIBLE_ORGANISATIONS = {
    "admin_a": {"enterprise_a"},
    "member_a": {"enterprise_a"},
    "admin_b": {"enterprise_b"},
    "verifier": {"verification_body"},
    "certifier": {"certification_body"},
    "province_viewer": {"province", "enterprise_a", "enterprise_b"},
    "puer_viewer": {"puer", "enterprise_b"},
    "curator": {"province"},
    "outsider": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(VISIBLE_ORGANISATIONS))
def test_who_sees_which_organisation(world: World, username: str) -> None:
    user = world.users[username]
    names = {name for name, org in world.orgs.items()
             if access.visible(Organisation, user).filter(pk=org.pk).exists()}
    assert names == VISIBLE_ORGANISATIONS[username]
    for name, org in world.orgs.items():
        status = _as(user).get(reverse("accounts:organisation", args=[org.pk])).status_code
        assert status == (200 if name in VISIBLE_ORGANISATIONS[username] else 404), name


@pytest.mark.django_db
def test_the_platform_admin_sees_every_organisation(world: World) -> None:
    user = world.users["platform_admin"]
    assert access.visible(Organisation, user).count() == len(world.orgs)


@pytest.mark.django_db
def test_members_of_another_organisation_are_hidden(world: World) -> None:
    page = _as(world.users["admin_a"]).get(
        reverse("accounts:organisation", args=[world.orgs["enterprise_a"].pk])).content.decode()
    assert "member_a" in page and "admin_b" not in page
    assert set(access.visible(Membership, world.users["admin_b"]).values_list(
        "user__username", flat=True)) == {"admin_b"}


@pytest.mark.django_db
def test_anonymous_users_see_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible(Organisation, AnonymousUser()).exists()
    response = _as(None).get(reverse("accounts:organisation",
                                     args=[world.orgs["enterprise_a"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_model_without_a_rule_cannot_be_read_through_the_helper(world: World) -> None:
    with pytest.raises(LookupError, match="Session has no visibility rule"):
        access.visible(Session, world.users["admin_a"])


# --- invitations --------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_enterprise_admin_invites_a_colleague_who_joins(world: World) -> None:
    enterprise = world.orgs["enterprise_a"]
    admin = _as(world.users["admin_a"])
    response = admin.post(reverse("accounts:invite", args=[enterprise.pk]),
                          {"email": "new@a.example", "role": "enterprise_member"})
    assert response.status_code == 200
    link = response.context["link"]
    # The token is in the fragment, which browsers never send: no path or query holds it.
    assert link.startswith("http://testserver/accounts/join/#")
    token = link.split("#", 1)[1]
    assert not Invitation.objects.filter(token_sha256=token).exists()  # only the hash is kept

    newcomer = Client()
    join = reverse("accounts:join")
    assert token not in newcomer.get(join).content.decode()
    page = newcomer.post(join, {"token": token})
    assert page.status_code == 200 and "甲铝业" in page.content.decode()
    joined = newcomer.post(join, {
        "token": token, "username": "newcomer", "first_name": "新同事",
        "password1": "Yunnan-coffee-2026", "password2": "Yunnan-coffee-2026",
    })
    assert joined.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.email == "new@a.example"
    assert user.membership.organisation == enterprise
    assert user.membership.role == "enterprise_member"
    assert newcomer.get(reverse("accounts:my-organisation")).status_code == 302  # signed in

    # The code works once.
    assert Client().post(join, {"token": token}).status_code == 404


@pytest.mark.django_db
def test_expired_and_unknown_invitations_are_refused(world: World) -> None:
    invitation, token = Invitation.issue(world.orgs["enterprise_a"], "enterprise_member",
                                         "late@a.example", world.users["admin_a"])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    join = reverse("accounts:join")
    assert Client().post(join, {"token": token}).status_code == 404
    assert Client().post(join, {"token": "not-a-token"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username, org, status", [
    ("member_a", "enterprise_a", 403),  # members do not invite
    ("admin_a", "enterprise_b", 404),  # another enterprise does not exist for A
    ("verifier", "enterprise_a", 404),
    ("puer_viewer", "enterprise_b", 403),  # a viewer sees B but does not invite
    ("platform_admin", "verification_body", 200),
])
def test_who_may_invite(world: World, username: str, org: str, status: int) -> None:
    role = "verifier" if org == "verification_body" else "enterprise_member"
    response = _as(world.users[username]).post(
        reverse("accounts:invite", args=[world.orgs[org].pk]),
        {"email": "x@example.com", "role": role})
    assert response.status_code == status
    assert Invitation.objects.exists() == (status == 200)


@pytest.mark.django_db
def test_an_enterprise_cannot_invite_a_verifier(world: World) -> None:
    response = _as(world.users["admin_a"]).post(
        reverse("accounts:invite", args=[world.orgs["enterprise_a"].pk]),
        {"email": "v@example.com", "role": "verifier"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


# --- organisations by the platform administrator ------------------------------------------

@pytest.mark.django_db
def test_only_the_platform_admin_lists_and_creates_organisations(world: World) -> None:
    url = reverse("accounts:organisations")
    for username in ("admin_a", "province_viewer", "curator", "verifier"):
        assert _as(world.users[username]).get(url).status_code == 403
    admin = _as(world.users["platform_admin"])
    assert admin.get(url).status_code == 200

    bad = admin.post(url, {"kind": "enterprise", "name_zh": "茶厂", "uscc": "123",
                           "prefecture": "530800"})
    assert bad.status_code == 400
    assert "18 characters" in bad.content.decode()
    assert not Organisation.objects.filter(name_zh="茶厂").exists()

    good = admin.post(url, {"kind": "enterprise", "name_zh": "茶厂", "name_en": "Tea works",
                            "uscc": make_uscc(42, "530800"), "prefecture": "530800"})
    assert good.status_code == 302
    assert Organisation.objects.get(name_zh="茶厂").prefecture == "530800"


@pytest.mark.django_db
def test_pages_are_chinese_first(world: World) -> None:
    page = _as(world.users["admin_a"]).get(
        reverse("accounts:organisation", args=[world.orgs["enterprise_a"].pk])).content.decode()
    assert "成员" in page and "邀请" in page
    english = _as(world.users["admin_a"])
    english.cookies["django_language"] = "en"
    page = english.get(reverse("accounts:organisation",
                               args=[world.orgs["enterprise_a"].pk])).content.decode()
    assert "Members" in page and "Invite someone" in page
