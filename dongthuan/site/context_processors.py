from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dongthuan.organizations.permissions import can_use_tree
from dongthuan.organizations.roles import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the account's main role and which sections it may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None, "nav_tree": False, "nav_officer": False, "nav_name": ""}
    access = access_for(user)
    return {
        "nav_role": access.primary_role,
        "nav_tree": can_use_tree(user),
        "nav_officer": access.is_admin or bool(access.officer_paths()),
        "nav_name": access.person.full_name if access.person else user.get_username(),
    }
