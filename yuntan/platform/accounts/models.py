"""Organisations, their people and roles, and invitations to join.

Every user belongs to one organisation with one role (:class:`Membership`). What a role may
do is decided by :mod:`yuntan.platform.accounts.access` and the Django groups each role is
given (:data:`ROLE_PERMISSIONS`); which objects a user may see is decided by the access
helper, never by a view on its own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuntan.identifiers import normalise_uscc, uscc_problem, yunnan_prefectures
from yuntan.platform.credentials import digest, new_secret


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    VERIFICATION_BODY = "verification_body", _("Verification body")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    GOVERNMENT = "government", _("Government department")
    OPERATOR = "operator", _("Platform operator")


class GovernmentLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")


class Role(models.TextChoices):
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    ENTERPRISE_MEMBER = "enterprise_member", _("Enterprise member")
    VERIFIER = "verifier", _("Verifier")
    CERTIFIER = "certifier", _("Certifier")
    GOVERNMENT_VIEWER = "government_viewer", _("Government viewer")
    FACTOR_CURATOR = "factor_curator", _("Factor curator")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# The organisations each role can belong to.
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    Role.ENTERPRISE_ADMIN: (OrganisationKind.ENTERPRISE,),
    Role.ENTERPRISE_MEMBER: (OrganisationKind.ENTERPRISE,),
    Role.VERIFIER: (OrganisationKind.VERIFICATION_BODY,),
    Role.CERTIFIER: (OrganisationKind.CERTIFICATION_BODY,),
    Role.GOVERNMENT_VIEWER: (OrganisationKind.GOVERNMENT,),
    Role.FACTOR_CURATOR: (OrganisationKind.GOVERNMENT, OrganisationKind.OPERATOR),
    Role.PLATFORM_ADMIN: (OrganisationKind.OPERATOR,),
}

# Django permissions ("app_label.codename") that come with a role; kept in sync on the
# role's group whenever a membership is saved.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.FACTOR_CURATOR: (
        "factors.add_factordataset", "factors.change_factordataset",
        "factors.add_factorversion", "factors.change_factorversion",
        "factors.publish_factorversion",
    ),
}

PREFECTURE_CHOICES = [(p.code, f"{p.name_zh} {p.name_en}") for p in yunnan_prefectures()]


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                            null=True, blank=True,
                            help_text=_("18 characters, GB 32100-2015; required for "
                                        "enterprises."))
    prefecture = models.CharField(_("prefecture"), max_length=6, choices=PREFECTURE_CHOICES,
                                  blank=True)
    government_level = models.CharField(_("government level"), max_length=16,
                                        choices=GovernmentLevel.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name_zh

    def clean_fields(self, exclude: Any = None) -> None:
        # Normalise as typed (spaces, lower case) before the length check sees it.
        self.uscc = normalise_uscc(self.uscc) if self.uscc else None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.uscc:
            problem = uscc_problem(self.uscc)
            if problem is not None:
                errors["uscc"] = gettext("Not a valid unified social credit code: %(problem)s.") \
                    % {"problem": problem}
        if self.kind == OrganisationKind.ENTERPRISE:
            if not self.uscc and "uscc" not in errors:
                errors["uscc"] = gettext("An enterprise needs its unified social credit code.")
            if not self.prefecture:
                errors["prefecture"] = gettext("An enterprise needs the prefecture it is in.")
        if self.kind == OrganisationKind.GOVERNMENT:
            if not self.government_level:
                errors["government_level"] = gettext("Say whether this is the province or a "
                                                     "prefecture.")
            elif self.government_level == GovernmentLevel.PREFECTURE and not self.prefecture:
                errors["prefecture"] = gettext("A prefecture department needs its prefecture.")
            elif self.government_level == GovernmentLevel.PROVINCE and self.prefecture:
                errors["prefecture"] = gettext("A provincial department has no prefecture.")
        elif self.government_level:
            errors["government_level"] = gettext("Only government departments have a level.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's one organisation and role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership", verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="memberships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    def clean(self) -> None:
        allowed = ROLE_KINDS[self.role]
        if self.organisation.kind not in allowed:
            raise ValidationError({"role": gettext(
                "The role %(role)s does not fit a %(kind)s.") % {
                    "role": Role(self.role).label, "kind": self.organisation.get_kind_display()}})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)
        from yuntan.platform.accounts.roles import apply_role

        apply_role(self.user, self.role)


INVITATION_DAYS = 14


class Invitation(models.Model):
    """An invitation to join an organisation with a role. Only the token's SHA-256 is kept;
    the link with the token is shown once to the person who invites."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="invitations",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    email = models.EmailField(_("email"))
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    @classmethod
    def issue(cls, organisation: Organisation, role: str, email: str,
              invited_by: Any) -> tuple[Invitation, str]:
        """A new invitation and its secret token (shown once, never stored)."""
        if organisation.kind not in ROLE_KINDS[role]:
            raise ValidationError(gettext("The role %(role)s does not fit a %(kind)s.") % {
                "role": Role(role).label, "kind": organisation.get_kind_display()})
        token = new_secret()
        invitation = cls.objects.create(
            organisation=organisation, role=role, email=email, token_sha256=digest(token),
            invited_by=invited_by, expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        return invitation, token

    @classmethod
    def open_by_token(cls, token: str) -> Invitation | None:
        """The invitation for ``token`` if it is neither accepted nor expired."""
        return cls.objects.filter(token_sha256=digest(token), accepted_at__isnull=True,
                                  expires_at__gt=timezone.now()).first()
