"""Pages of organisations and people: one's organisation, members and invitations, joining
by invitation; platform administrators also list and create organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yuntan.platform.accounts.access import (
    can_invite,
    get_or_404,
    is_platform_admin,
    organisation_of,
    visible,
)
from yuntan.platform.accounts.forms import InvitationForm, JoinForm, OrganisationForm
from yuntan.platform.accounts.models import Invitation, Membership, Organisation


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request.user)
    if organisation is None:
        return render(request, "accounts/no_organisation.html", status=403)
    return redirect("accounts:organisation", pk=organisation.pk)


def _organisation_page(request: HttpRequest, organisation: Organisation,
                       form: InvitationForm | None = None, link: str = "",
                       status: int = 200) -> HttpResponse:
    inviting = can_invite(request.user, organisation)
    context = {
        "organisation": organisation,
        "members": visible(Membership, request.user).filter(organisation=organisation)
        .select_related("user").order_by("user__username"),
        "can_invite": inviting,
        "invitations": visible(Invitation, request.user).filter(
            organisation=organisation, accepted_at__isnull=True) if inviting else [],
        "form": form or (InvitationForm(organisation=organisation) if inviting else None),
        "link": link,
    }
    return render(request, "accounts/organisation.html", context, status=status)


@login_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_page(request, get_or_404(Organisation, request.user, pk=pk))


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_or_404(Organisation, request.user, pk=pk)
    if not can_invite(request.user, target):
        raise PermissionDenied
    form = InvitationForm(request.POST, organisation=target)
    if not form.is_valid():
        return _organisation_page(request, target, form=form, status=400)
    invitation, token = Invitation.issue(target, form.cleaned_data["role"],
                                         form.cleaned_data["email"], request.user)
    # The token follows "#": browsers never send a fragment, so no access log holds it.
    link = request.build_absolute_uri(reverse("accounts:join")) + "#" + token
    messages.success(request, _("Invitation created. Send this link to %(email)s; it is shown "
                                "only once.") % {"email": invitation.email})
    return _organisation_page(request, target, link=link)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Join with an invitation: the page takes the code from the link's #fragment (or as
    typed), posts it, then shows the invitation and the account form."""
    token = request.POST.get("token", "").strip()
    if not token:
        return render(request, "accounts/join.html", {"form": None})
    invitation = Invitation.open_by_token(token)
    if invitation is None:
        return render(request, "accounts/join.html", {"form": None, "unknown": True},
                      status=404)
    if "username" not in request.POST:  # the code only: show whom it invites
        return render(request, "accounts/join.html", {
            "invitation": invitation, "form": JoinForm(), "token": token})
    form = JoinForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.accepted_at is not None:
                raise Http404("no open invitation")
            user = form.save(commit=False)
            user.email = invitation.email
            user.save()
            Membership.objects.create(user=user, organisation=invitation.organisation,
                                      role=invitation.role)
            locked.accepted_by, locked.accepted_at = user, timezone.now()
            locked.save(update_fields=["accepted_by", "accepted_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(organisation)s.") % {
            "organisation": invitation.organisation})
        return redirect("accounts:my-organisation")
    return render(request, "accounts/join.html", {"invitation": invitation, "form": form,
                                                  "token": token}, status=400)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organisation %(name)s created.") % {
                "name": created.name_zh})
            return redirect("accounts:organisation", pk=created.pk)
    return render(request, "accounts/organisation_list.html", {
        "organisations": visible(Organisation, request.user), "form": form,
    }, status=400 if request.method == "POST" else 200)
