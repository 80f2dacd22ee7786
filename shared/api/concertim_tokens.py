"""Concertim's bearer tokens: HS256 JWTs signed with a secret Concertim and Cloudplane share.

Concertim's UI signs a short-lived token for each call to its OpenStack service; the
``/api/concertim/`` paths take the same token. The algorithm is pinned (an ``alg: none`` or
RS256 header is refused before any key is used), ``exp`` is required and checked, and the
token carries no tenant: the settings name the one the surface acts for (``auth.py``).
PyJWT is imported on first use (it loads ``cryptography``, which cold start leaves alone).
"""

from __future__ import annotations

from typing import Any

from shared.errors import Unauthorized

SIGNING_ALGORITHM = "HS256"
LEEWAY_SECONDS = 30
"""Clock skew tolerated on ``exp`` and ``nbf`` between Concertim's host and this one."""


def _invalid(reason: str, code: str = "INVALID_TOKEN") -> Unauthorized:
    return Unauthorized("The Concertim token is not valid.", code=code, details={"reason": reason})


class ConcertimTokens:
    """Verifies Concertim's tokens with the shared secret; raises 401 for any other."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a Concertim token secret is required")
        self._secret = secret

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, once its signature, algorithm and expiry are checked."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise _invalid("malformed") from None
        if header.get("alg") != SIGNING_ALGORITHM:
            raise _invalid(f"the algorithm must be {SIGNING_ALGORITHM}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[SIGNING_ALGORITHM],
                options={"require": ["exp"], "verify_signature": True, "verify_exp": True},
                leeway=LEEWAY_SECONDS,
            )
        except jwt.ExpiredSignatureError:
            raise _invalid("expired", code="TOKEN_EXPIRED") from None
        except jwt.MissingRequiredClaimError:
            raise _invalid("no exp claim: the token must expire") from None
        except jwt.InvalidSignatureError:
            raise _invalid("bad signature") from None
        except jwt.InvalidTokenError:
            raise _invalid("malformed") from None
        return claims
