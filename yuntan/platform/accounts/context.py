"""Template context: the signed-in user's role, so menus show what the role may open."""

from __future__ import annotations

from django.http import HttpRequest

from yuntan.platform.accounts.access import role_of


def role(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    unread = 0
    if getattr(user, "is_authenticated", False):
        from yuntan.platform.verification.models import Notification

        unread = Notification.objects.filter(recipient_id=user.pk,  # type: ignore[union-attr]
                                             read_at__isnull=True).count()
    return {"yuntan_role": role_of(user), "yuntan_unread": unread}
