"""Template context: the signed-in user's role, so menus show what the role may open."""

from __future__ import annotations

from django.http import HttpRequest

from yuntan.platform.accounts.access import role_of


def role(request: HttpRequest) -> dict[str, str | None]:
    return {"yuntan_role": role_of(getattr(request, "user", None))}
