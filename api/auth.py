"""Bearer-token sign-in for the staff API, one scope per operation."""

from __future__ import annotations

from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from api import services


class StaffToken(HttpBearer):
    """``Authorization: Bearer <token>``: 401 for a missing, unknown or revoked token, 403 without ``scope``."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        try:
            api_token = services.authenticate(token)
        except services.TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        refusal = services.scope_refusal(api_token, self.scope)
        if refusal:
            raise AuthorizationError(message=refusal)
        return api_token
