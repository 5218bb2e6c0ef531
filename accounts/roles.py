"""Who a person is to the pharmacy: the staff roles that decide things, by group name.

A pharmacist is an active member of the Pharmacists group; a superuser is not a
pharmacist unless they are in that group too.
"""

from __future__ import annotations

PHARMACISTS = "Pharmacists"


def is_pharmacist(user) -> bool:
    """True for a signed-in, active member of the Pharmacists group."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_pharmacist())
