"""The access helper: which objects a user may see, one rule per model.

Every view and API endpoint reads objects through :func:`visible` or :func:`get_or_404`,
never through a bare ``Model.objects``; a model without a registered rule cannot be read
this way at all (:class:`LookupError`). Another organisation's object answers 404, exactly
like one that does not exist, so ids reveal nothing.

Rules are registered with :func:`rule` next to the model's app (``access_rules.py`` imported
by the app's ``ready``) and return a ``Q`` filter for the user, or ``None`` for "nothing".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from yuntan.platform.accounts.models import (
    GovernmentLevel,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

M = TypeVar("M", bound=Model)
Rule = Callable[[Any], Q | None]

_RULES: dict[type[Model], Rule] = {}


def rule(model: type[Model]) -> Callable[[Rule], Rule]:
    """Register the visibility rule of ``model`` (one per model)."""
    def register(func: Rule) -> Rule:
        if model in _RULES:
            raise ValueError(f"{model.__name__} already has a visibility rule")
        _RULES[model] = func
        return func
    return register


def membership_of(user: Any) -> Membership | None:
    """The user's membership (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_yuntan_membership"):
        user._yuntan_membership = (
            Membership.objects.select_related("organisation").filter(user=user).first())
    found: Membership | None = user._yuntan_membership
    return found


def organisation_of(user: Any) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def role_of(user: Any) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def has_role(user: Any, *roles: str) -> bool:
    return role_of(user) in roles


def is_platform_admin(user: Any) -> bool:
    return has_role(user, Role.PLATFORM_ADMIN)


def visible(model_or_queryset: type[M] | QuerySet[M], user: Any) -> QuerySet[M]:
    """The objects of the model (or within the queryset) that ``user`` may see."""
    queryset = (model_or_queryset if isinstance(model_or_queryset, QuerySet)
                else model_or_queryset._default_manager.all())
    model = queryset.model
    try:
        func = _RULES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no visibility rule; register one with "
                          f"@rule({model.__name__})") from None
    condition = func(user) if getattr(user, "is_authenticated", False) else None
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_or_404(model_or_queryset: type[M] | QuerySet[M], user: Any, **lookup: Any) -> M:
    """The object matching ``lookup`` if ``user`` may see it; 404 otherwise."""
    found = visible(model_or_queryset, user).filter(**lookup).first()
    if found is None:
        raise Http404("not found")
    return found


EVERYTHING = ~Q(pk__in=[])


def jurisdiction(user: Any) -> Q | None:
    """The enterprises a government viewer oversees, as a filter on Organisation; None for
    other users."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.GOVERNMENT_VIEWER:
        return None
    org = membership.organisation
    enterprises = Q(kind=OrganisationKind.ENTERPRISE)
    if org.government_level == GovernmentLevel.PROVINCE:
        return enterprises
    return enterprises & Q(prefecture=org.prefecture)


@rule(Organisation)
def _organisations(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    own = Q(pk=membership.organisation_id)
    overseen = jurisdiction(user)
    return own | overseen if overseen is not None else own


@rule(Membership)
def _memberships(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    return Q(organisation_id=membership.organisation_id)


def can_invite(user: Any, organisation: Organisation) -> bool:
    """Enterprise administrators invite to their enterprise; platform administrators to any
    organisation."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.PLATFORM_ADMIN:
        return True
    return (membership.role == Role.ENTERPRISE_ADMIN
            and membership.organisation_id == organisation.pk)


@rule(Invitation)
def _invitations(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    if membership.role == Role.ENTERPRISE_ADMIN:
        return Q(organisation_id=membership.organisation_id)
    return None
