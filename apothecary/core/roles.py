"""Who a person is to the pharmacy: the staff roles that decide things, by group name.

A pharmacist is an active member of the Pharmacists group; a superuser is not a
pharmacist unless they are in that group too.
"""

from __future__ import annotations

PHARMACISTS = "Pharmacists"


def is_pharmacist(user) -> bool:
    """True for a signed-in, active member of the Pharmacists group; when ``STAFF_TWO_FACTOR_REQUIRED`` is on, a
    visitor (``request.user``) counts only once their second factor is verified in this session."""
    from django.conf import settings

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_pharmacist():
        return False
    verified = getattr(user, "is_verified", None)  # set on request.user by django_otp's middleware
    return not (settings.STAFF_TWO_FACTOR_REQUIRED and verified is not None and not verified())
