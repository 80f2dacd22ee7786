"""Key pairs of an OpenStack cloud (Nova): generate, import, list, read, delete by name.

A generated pair's private key is in the creation's response only, once; Nova keeps just the
public half. An imported public key is checked here first (an OpenSSH public key for ``ssh``, a
PEM certificate for ``x509``), so a malformed one is a clear 422 rather than Nova's 400.
"""

from __future__ import annotations

import logging
from typing import Any

from shared.errors import ValidationFailed
from shared.logs import log_event
from shared.models.cloud_compute import KeyPair, KeyPairCreate, KeyPairCreated, KeyPairList, KeyType
from shared.services.clouds import CloudAccess

logger = logging.getLogger("cloudplane.clouds")


def check_public_key(key_type: KeyType, text: str) -> None:
    """``ValidationFailed`` unless ``text`` is a public key of ``key_type``."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    try:
        if key_type == "ssh":
            load_ssh_public_key(text.strip().encode())
        else:
            x509.load_pem_x509_certificate(text.strip().encode())
    except (ValueError, TypeError):
        expected = "an OpenSSH public key" if key_type == "ssh" else "a PEM certificate"
        raise ValidationFailed(
            f"public_key is not {expected}.", code="PUBLIC_KEY_INVALID", details={"key_type": key_type}
        ) from None


def key_view(pair: Any) -> KeyPair:
    return KeyPair(
        name=pair.name,
        key_type=getattr(pair, "type", None) or "ssh",
        fingerprint=pair.fingerprint,
        public_key=pair.public_key,
        user_id=getattr(pair, "user_id", None),
    )


class CloudKeyPairsService:
    def create(self, access: CloudAccess, request: KeyPairCreate) -> KeyPairCreated:
        if request.public_key is not None:
            check_public_key(request.key_type, request.public_key)
        attrs: dict[str, Any] = {"name": request.name, "type": request.key_type}
        if request.public_key is not None:
            attrs["public_key"] = request.public_key.strip()
        pair = access.call(lambda conn: conn.compute.create_keypair(**attrs), "The key pair")
        log_event(
            logger,
            "key_pair_created",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            name=request.name,
            key_type=request.key_type,
            generated=request.public_key is None,
        )
        private = getattr(pair, "private_key", None) if request.public_key is None else None
        return KeyPairCreated(**key_view(pair).model_dump(), private_key=private)

    def list(self, access: CloudAccess) -> KeyPairList:
        pairs = access.call(lambda conn: [key_view(pair) for pair in conn.compute.keypairs()])
        return KeyPairList(items=sorted(pairs, key=lambda pair: pair.name))

    def get(self, access: CloudAccess, name: str) -> KeyPair:
        return key_view(access.call(lambda conn: conn.compute.get_keypair(name), "The key pair"))

    def delete(self, access: CloudAccess, name: str) -> None:
        access.call(lambda conn: conn.compute.delete_keypair(name, ignore_missing=False), "The key pair")
        log_event(logger, "key_pair_deleted", tenant_id=access.tenant_id, cloud_id=access.cloud_id, name=name)
