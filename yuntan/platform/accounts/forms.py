"""Forms of organisations, invitations and joining."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from yuntan.platform.accounts.models import ROLE_KINDS, Organisation, Role


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ("kind", "name_zh", "name_en", "uscc", "prefecture", "government_level")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("email"))
    role = forms.ChoiceField(label=_("role"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (role.value, role.label) for role in Role
            if organisation.kind in ROLE_KINDS[role]
        ]


class JoinForm(UserCreationForm[User]):
    """Create one's account from an invitation (the email is the invited one)."""

    first_name = forms.CharField(label=_("name"), max_length=150)

    class Meta:
        model = User
        fields = ("username", "first_name")
