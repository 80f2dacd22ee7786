from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connection_owner import ConnectionOwner
from ..models.connection_system import ConnectionSystem

if TYPE_CHECKING:
    from ..models.connection_credentials_info import ConnectionCredentialsInfo
    from ..models.rate_limits import RateLimits


T = TypeVar("T", bound="Connection")


@_attrs_define
class Connection:
    """
    Attributes:
        id (str):
        system (ConnectionSystem):
        name (str):
        base_url (str):
        owner (ConnectionOwner): job: sealed from a job's inline credentials.
        credentials (ConnectionCredentialsInfo):
        rate_limits (RateLimits): One budget for reads and one for writes; without ``write``, writes count against
            ``read``.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    system: ConnectionSystem
    name: str
    base_url: str
    owner: ConnectionOwner
    credentials: ConnectionCredentialsInfo
    rate_limits: RateLimits
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        system = self.system.value

        name = self.name

        base_url = self.base_url

        owner = self.owner.value

        credentials = self.credentials.to_dict()

        rate_limits = self.rate_limits.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "system": system,
                "name": name,
                "base_url": base_url,
                "owner": owner,
                "credentials": credentials,
                "rate_limits": rate_limits,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_credentials_info import ConnectionCredentialsInfo  # noqa: PLC0415
        from ..models.rate_limits import RateLimits  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        system = ConnectionSystem(d.pop("system"))

        name = d.pop("name")

        base_url = d.pop("base_url")

        owner = ConnectionOwner(d.pop("owner"))

        credentials = ConnectionCredentialsInfo.from_dict(d.pop("credentials"))

        rate_limits = RateLimits.from_dict(d.pop("rate_limits"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        connection = cls(
            id=id,
            system=system,
            name=name,
            base_url=base_url,
            owner=owner,
            credentials=credentials,
            rate_limits=rate_limits,
            created_at=created_at,
            updated_at=updated_at,
        )

        connection.additional_properties = d
        return connection

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
