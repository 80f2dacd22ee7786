"""Microsoft identity platform (Entra ID) access tokens: who signed them and what they claim.

The checks are PyJWT's (``jwt.decode`` and its ``PyJWKClient``), not code of ours: RS256 only, the
signature against the authority's JWKS, ``iss``, ``aud``, ``exp`` and ``nbf`` with a small leeway.
What is ours is where the keys come from: the authority's OpenID configuration, fetched with a
timeout and cached for a day, names the issuer and the ``jwks_uri``; the key set is cached for an
hour and fetched again when a token names a key it lacks (at most once per cooldown, so a flood of
made-up key ids cannot turn into a flood of fetches). Every URL fetched passes the deployment's
address rules first (``CLOUDPLANE_ALLOWED_NETWORKS``, no metadata or link-local addresses, private
ranges only when allowed), and redirects are not followed.

PyJWT (and the ``cryptography`` it verifies RS256 with) is imported on the first token, never at
cold start.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.config import Settings
from shared.errors import ServiceUnavailable, Unauthorized
from shared.net.addresses import EndpointNotAllowed, IPNetwork, check_endpoint

ALGORITHM = "RS256"
METADATA_SECONDS = 24 * 3600
JWKS_SECONDS = 3600
REFRESH_COOLDOWN_SECONDS = 30.0
MAX_DOCUMENT_BYTES = 512 * 1024
_TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def looks_like_jwt(value: str) -> bool:
    """Three dot-separated base64url parts whose first decodes to a JSON object (``eyJ`` = ``{"``)."""
    return value.startswith("eyJ") and value.count(".") == 2


def invalid_token(reason: str) -> Unauthorized:
    """401 ``INVALID_TOKEN`` with a reason code, never the token or its claims."""
    return Unauthorized("The access token is not valid.", code="INVALID_TOKEN", details={"reason": reason})


def provider_unavailable(rule: str | None = None) -> ServiceUnavailable:
    details = {"rule": rule} if rule else {}
    return ServiceUnavailable(
        "The identity provider's keys cannot be fetched right now; retry shortly.",
        code="IDENTITY_PROVIDER_UNAVAILABLE",
        details=details,
        headers={"Retry-After": "5"},
    )


@dataclass(frozen=True)
class TokenClaims:
    """What authorisation reads of a verified token."""

    entra_tenant_id: str
    subject: str
    scopes: frozenset[str]
    roles: frozenset[str]
    groups: frozenset[str]


class UrlGuard:
    """The address rules applied to every URL the verifier fetches."""

    def __init__(self, allow_private: bool, allowed_networks: Sequence[IPNetwork]) -> None:
        self._allow_private = allow_private
        self._allowed_networks = allowed_networks

    def check(self, url: str) -> None:
        if not url.lower().startswith("https://") and not self._allow_private:
            raise provider_unavailable("scheme")  # plain http only for local development
        try:
            check_endpoint(
                url, allow_private=self._allow_private, allowed_networks=self._allowed_networks, field="entra"
            )
        except EndpointNotAllowed as error:
            raise provider_unavailable(error.rule) from None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_json(url: str, timeout: float) -> dict[str, Any]:
    """GET a JSON object, no redirects, at most ``MAX_DOCUMENT_BYTES``; 503 on any failure."""
    if not url.lower().startswith(("https://", "http://")):
        raise provider_unavailable("scheme")
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s), checked above
    try:
        with opener.open(request, timeout=timeout) as reply:
            body = reply.read(MAX_DOCUMENT_BYTES + 1)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        raise provider_unavailable() from None
    try:
        document = json.loads(body) if len(body) <= MAX_DOCUMENT_BYTES else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise provider_unavailable("document")
    return document


class EntraTokens:
    """Verifies access tokens for this app's audiences against the configured authority."""

    def __init__(
        self,
        settings: Settings,
        *,
        refresh_cooldown: float = REFRESH_COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        assert settings.entra_authority, "only built when an authority is configured"
        self._authority = settings.entra_authority.rstrip("/")
        self._audiences = list(settings.entra_audiences)
        self._required_scope = settings.entra_required_scope
        self._roles = frozenset({settings.entra_read_role, settings.entra_write_role})
        self._timeout = settings.entra_timeout_seconds
        self._leeway = settings.entra_leeway_seconds
        self._guard = UrlGuard(settings.allow_private_endpoints, settings.allowed_networks)
        self._cooldown = refresh_cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._metadata: tuple[float, str, Any] | None = None  # (expires, issuer, PyJWKClient)

    def verify(self, token: str) -> TokenClaims:
        """The claims of a valid token; 401 ``INVALID_TOKEN`` (with a reason) for any other."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise invalid_token("malformed") from None
        if header.get("alg") != ALGORITHM:
            raise invalid_token("algorithm")
        kid = header.get("kid")
        tid = unverified.get("tid")
        if not isinstance(kid, str) or not kid:
            raise invalid_token("unknown_key")
        if not isinstance(tid, str) or not _TENANT_ID.match(tid):
            raise invalid_token("tenant")
        issuer_template, keys = self._keys()
        issuer = issuer_template.replace("{tenantid}", tid)
        if tid not in issuer:  # Entra issuers name the tenant: a tid the issuer does not name is not this authority's
            raise invalid_token("tenant")
        try:
            key = keys.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise provider_unavailable() from None
        except jwt.PyJWKClientError:
            raise invalid_token("unknown_key") from None
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                audience=self._audiences,
                issuer=issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise invalid_token("expired") from None
        except jwt.ImmatureSignatureError:
            raise invalid_token("not_yet_valid") from None
        except jwt.InvalidAudienceError:
            raise invalid_token("audience") from None
        except jwt.InvalidIssuerError:
            raise invalid_token("issuer") from None
        except jwt.InvalidSignatureError:
            raise invalid_token("signature") from None
        except jwt.PyJWTError:
            raise invalid_token("malformed") from None
        return _claims(claims, tid)

    def has_access(self, claims: TokenClaims) -> bool:
        """The required delegated scope, or one of the app roles."""
        return self._required_scope in claims.scopes or bool(claims.roles & self._roles)

    def _keys(self) -> tuple[str, Any]:
        """The issuer (``{tenantid}`` still in it for a multi-tenant authority) and the JWKS client."""
        now = self._clock()
        cached = self._metadata
        if cached is not None and cached[0] > now:
            return cached[1], cached[2]
        with self._lock:
            cached = self._metadata
            if cached is not None and cached[0] > now:
                return cached[1], cached[2]
            url = f"{self._authority}/.well-known/openid-configuration"
            self._guard.check(url)
            document = fetch_json(url, self._timeout)
            issuer, jwks_uri = document.get("issuer"), document.get("jwks_uri")
            if not isinstance(issuer, str) or not isinstance(jwks_uri, str):
                raise provider_unavailable("document")
            self._guard.check(jwks_uri)
            client = _jwks_client(jwks_uri, self._timeout, self._cooldown, self._guard)
            self._metadata = (now + METADATA_SECONDS, issuer, client)
            return issuer, client


def _claims(claims: dict[str, Any], tid: str) -> TokenClaims:
    def strings(value: Any) -> frozenset[str]:
        return frozenset(item for item in value if isinstance(item, str)) if isinstance(value, list) else frozenset()

    scp = claims.get("scp")
    subject = claims.get("oid") or claims.get("sub") or ""
    return TokenClaims(
        entra_tenant_id=tid,
        subject=subject if isinstance(subject, str) else "",
        scopes=frozenset(scp.split()) if isinstance(scp, str) else frozenset(),
        roles=strings(claims.get("roles")),
        groups=frozenset(group.lower() for group in strings(claims.get("groups"))),
    )


def _jwks_client(uri: str, timeout: float, cooldown: float, guard: UrlGuard) -> Any:
    """PyJWT's JWKS client, with the address rules checked before each fetch."""
    from jwt import PyJWKClient

    class GuardedJWKClient(PyJWKClient):
        def fetch_data(self) -> Any:
            guard.check(self.uri)
            return super().fetch_data()

    return GuardedJWKClient(uri, lifespan=JWKS_SECONDS, timeout=timeout, cooldown_duration=cooldown)
