"""A stand-in for the Microsoft identity platform on 127.0.0.1: its OpenID configuration and JWKS,
with RSA keys generated here, and a token minter.

It speaks real HTTP (the app fetches with PyJWT's JWKS client and urllib), records every request,
refuses anything but GET of its two documents (``unexpected`` lists what else arrived) and can be
told to answer slowly or to rotate its keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ENTRA_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
APP_URI = "api://cloudplane-test"


@dataclass
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or uuid.uuid4().hex[:12], rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@dataclass
class FakeIdentityPlatform:
    tenant: str = ENTRA_TENANT
    keys: list[SigningKey] = field(default_factory=lambda: [SigningKey.generate()])
    delay_seconds: float = 0.0
    requests: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def authority(self) -> str:
        return f"{self.base}/{self.tenant}/v2.0"

    @property
    def issuer(self) -> str:
        return f"https://login.microsoftonline.com/{self.tenant}/v2.0"

    def jwks_fetches(self) -> int:
        return sum(1 for path in self.requests if path.endswith("/discovery/v2.0/keys"))

    def start(self) -> FakeIdentityPlatform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                platform.requests.append(self.path)
                if platform.delay_seconds:
                    time.sleep(platform.delay_seconds)
                if self.path == f"/{platform.tenant}/v2.0/.well-known/openid-configuration":
                    body = {
                        "issuer": platform.issuer,
                        "jwks_uri": f"{platform.base}/{platform.tenant}/discovery/v2.0/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                elif self.path == f"/{platform.tenant}/discovery/v2.0/keys":
                    body = {"keys": [key.jwk() for key in platform.keys]}
                else:
                    platform.unexpected.append(f"GET {self.path}")
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def do_POST(self) -> None:
                platform.unexpected.append(f"POST {self.path}")
                self.send_error(405)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # ---- tokens ---------------------------------------------------------------------------

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "aud": APP_URI,
            "iss": self.issuer,
            "iat": now - 10,
            "nbf": now - 10,
            "exp": now + 3600,
            "tid": self.tenant,
            "oid": "0b8b2ab4-6b3f-4bb0-9c4f-7a4b5a3c2d1e",
            "sub": "user-subject",
            "scp": "access_as_user",
            "ver": "2.0",
        }
        claims.update(overrides)
        return {key: value for key, value in claims.items() if value is not None}

    def token(self, key: SigningKey | None = None, kid: str | None = None, **overrides: Any) -> str:
        """An RS256 token signed with ``key`` (the first served key by default), headed with ``kid``."""
        signer = key or self.keys[0]
        return jwt.encode(
            self.claims(**overrides), signer.private, algorithm="RS256", headers={"kid": kid or signer.kid}
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(claims: dict[str, Any], kid: str) -> str:
    """``alg: none``: no signature at all."""
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def hs256_with_public_key(claims: dict[str, Any], key: SigningKey) -> str:
    """The algorithm-confusion attack: HS256 keyed with the server's public key PEM (PyJWT refuses to
    mint this, so it is built by hand)."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": key.kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(key.public_pem(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"
