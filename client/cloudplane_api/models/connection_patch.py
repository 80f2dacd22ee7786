from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.connection_credentials import ConnectionCredentials
    from ..models.rate_limits import RateLimits


T = TypeVar("T", bound="ConnectionPatch")


@_attrs_define
class ConnectionPatch:
    """Fields left out keep their value; credentials given replace the stored ones whole.

    Attributes:
        name (None | str | Unset):
        credentials (ConnectionCredentials | None | Unset):
        base_url (None | str | Unset): The API's base URL (default: the system's public API); the endpoint rules apply.
        rate_limits (None | RateLimits | Unset):
    """

    name: None | str | Unset = UNSET
    credentials: ConnectionCredentials | None | Unset = UNSET
    base_url: None | str | Unset = UNSET
    rate_limits: None | RateLimits | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_credentials import ConnectionCredentials  # noqa: PLC0415
        from ..models.rate_limits import RateLimits  # noqa: PLC0415

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, ConnectionCredentials):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        base_url: None | str | Unset
        if isinstance(self.base_url, Unset):
            base_url = UNSET
        else:
            base_url = self.base_url

        rate_limits: dict[str, Any] | None | Unset
        if isinstance(self.rate_limits, Unset):
            rate_limits = UNSET
        elif isinstance(self.rate_limits, RateLimits):
            rate_limits = self.rate_limits.to_dict()
        else:
            rate_limits = self.rate_limits

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if rate_limits is not UNSET:
            field_dict["rate_limits"] = rate_limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_credentials import ConnectionCredentials  # noqa: PLC0415
        from ..models.rate_limits import RateLimits  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_credentials(data: object) -> ConnectionCredentials | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = ConnectionCredentials.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionCredentials | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_base_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_url = _parse_base_url(d.pop("base_url", UNSET))

        def _parse_rate_limits(data: object) -> None | RateLimits | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rate_limits_type_0 = RateLimits.from_dict(data)

                return rate_limits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RateLimits | Unset, data)

        rate_limits = _parse_rate_limits(d.pop("rate_limits", UNSET))

        connection_patch = cls(
            name=name,
            credentials=credentials,
            base_url=base_url,
            rate_limits=rate_limits,
        )

        return connection_patch
