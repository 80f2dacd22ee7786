from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.sealed_credentials_kind import SealedCredentialsKind

T = TypeVar("T", bound="SealedCredentials")


@_attrs_define
class SealedCredentials:
    """Credentials as stored: AES-256-GCM ciphertext bound to tenant and server id.

    Attributes:
        kind (SealedCredentialsKind):
        key_id (str): Fingerprint of the key that sealed them.
        ciphertext (str): base64 of nonce + ciphertext + tag.
    """

    kind: SealedCredentialsKind
    key_id: str
    ciphertext: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        key_id = self.key_id

        ciphertext = self.ciphertext

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "key_id": key_id,
                "ciphertext": ciphertext,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = SealedCredentialsKind(d.pop("kind"))

        key_id = d.pop("key_id")

        ciphertext = d.pop("ciphertext")

        sealed_credentials = cls(
            kind=kind,
            key_id=key_id,
            ciphertext=ciphertext,
        )

        return sealed_credentials
