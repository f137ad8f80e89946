from django.urls import reverse

from coordinators.access import user_roles
from coordinators.models import Role

ROLE_PAGES = [
    (Role.ADMIN, "Organization", "pages:organization"),
    (Role.DIRECTOR, "My team", "pages:my-team"),
    (Role.COORDINATOR, "My growth", "pages:my-growth"),
]


def roles(request):
    """The role pages a user can switch between, for the navigation."""
    held = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "user_roles": held,
        "role_pages": [
            {"role": role, "label": label, "url": reverse(name)}
            for role, label, name in ROLE_PAGES
            if role in held
        ],
    }
