"""The rules of API tokens: who may have one, what it may do, how it is checked, and the staff API's log.

A token reads ``apt_<prefix>_<secret>``. The prefix finds the token's row; the
whole token is compared with the SHA-256 hash kept there, so the database never
holds a usable token. Tokens are long random strings (256 bits of secret), for
which a plain SHA-256 is the usual and sufficient hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from api.models import SCOPE_PERMISSIONS, ApiToken, Scope

logger = logging.getLogger(__name__)

TOKEN_LABEL = "apt"


class TokenRefused(Exception):
    """The token cannot sign in: unknown, malformed, revoked, or its owner is no longer active staff."""


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_raw_token() -> tuple[str, str]:
    """A fresh token and its prefix: ``("apt_1a2b3c4d_<43 characters>", "1a2b3c4d")``."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_LABEL}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def is_staff_member(user) -> bool:
    return bool(user and user.is_active and user.is_staff)


def scopes_allowed(user) -> list[str]:
    """The scopes a token owned by ``user`` may have: those whose permission the user holds."""
    if not is_staff_member(user):
        return []
    return [scope for scope, permission in SCOPE_PERMISSIONS.items() if user.has_perm(permission)]


@transaction.atomic
def create_token(*, name: str, owner, scopes: list[str], created_by) -> tuple[ApiToken, str]:
    """A new token for ``owner`` with ``scopes``: the saved record and the token itself, to show once.

    Refused (``ValidationError``) unless the owner is active staff and holds the
    permission behind every scope.
    """
    if not is_staff_member(owner):
        raise ValidationError({"owner": "A token's owner must be an active member of staff."})
    allowed = scopes_allowed(owner)
    refused = [scope for scope in scopes if scope not in allowed]
    if refused:
        raise ValidationError(
            {"scopes": f"{owner.display_name} does not have the permissions behind: {', '.join(refused)}."}
        )
    raw_token, prefix = new_raw_token()
    token = ApiToken(
        name=name,
        owner=owner,
        scopes=sorted(set(scopes)),
        prefix=prefix,
        token_hash=hash_token(raw_token),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    token.full_clean()
    token.save()
    log(token, "api.create_token", user=created_by, data={"owner": owner.pk, "scopes": token.scopes})
    return token, raw_token


@transaction.atomic
def revoke_token(token: ApiToken, *, by, reason: str = "") -> ApiToken:
    """Revoke ``token`` for good (a second revocation changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        log(token, "api.revoke_token", user=by, data={"reason": reason} if reason else None)
    return token


def revoke_tokens_of_former_staff(user) -> int:
    """Revoke every token of ``user`` once they are no longer active staff: re-activating them later does not bring
    the tokens back. Called when a user is saved (``api.apps``); returns how many were revoked."""
    if is_staff_member(user):
        return 0
    tokens = list(ApiToken.objects.filter(owner=user, revoked_at__isnull=True))
    for token in tokens:
        revoke_token(token, by=None, reason="its owner was deactivated or is no longer staff")
    return len(tokens)


def authenticate(raw_token: str) -> ApiToken:
    """The active token ``raw_token`` stands for, with its owner; raises ``TokenRefused`` otherwise.

    Records when the token was last used.
    """
    parts = raw_token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_LABEL or not parts[1] or not parts[2]:
        raise TokenRefused("This is not an API token; tokens look like apt_1a2b3c4d_….")
    token = ApiToken.objects.select_related("owner").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw_token.strip())):
        raise TokenRefused("The API token is not valid.")
    if token.is_revoked:
        raise TokenRefused("This API token has been revoked.")
    if token.is_expired:
        raise TokenRefused(
            f"This API token expired on {timezone.localdate(token.expires_at):%d %b %Y}: make a new one."
        )
    if not is_staff_member(token.owner):
        raise TokenRefused("This API token's owner is no longer active staff.")
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def scope_refusal(token: ApiToken, scope: str) -> str | None:
    """Why ``token`` may not act in ``scope`` (None when it may)."""
    if scope not in token.scopes:
        return f"This API token does not have the {scope} scope."
    if not token.owner.has_perm(SCOPE_PERMISSIONS[Scope(scope)]):
        return f"This API token's owner no longer has the permission the {scope} scope needs."
    return None


def log_api_action(token: ApiToken, action: str, *, instance=None, data: dict | None = None) -> None:
    """Record a staff API action in the admin's history, as done by the token's owner through the token."""
    data = {"token": token.prefix, "token_name": token.name, **(data or {})}
    log(instance if instance is not None else token, action, user=token.owner, data=data)
    logger.info("Staff API %s by %s with token %s", action, token.owner_id, token.prefix)
