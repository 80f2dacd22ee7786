from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_error_details import LegacyErrorDetails


T = TypeVar("T", bound="LegacyError")


@_attrs_define
class LegacyError:
    """The seed's error shape (``code``, ``details`` and ``request_id`` are Cloudplane's additions).

    Attributes:
        error (str): What went wrong, for a person.
        status_code (int):
        code (str): The same UPPER_SNAKE code as the /api/v1 envelope.
        request_id (str):
        success (bool | Unset):  Default: False.
        details (LegacyErrorDetails | Unset):
    """

    error: str
    status_code: int
    code: str
    request_id: str
    success: bool | Unset = False
    details: LegacyErrorDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        status_code = self.status_code

        code = self.code

        request_id = self.request_id

        success = self.success

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
                "status_code": status_code,
                "code": code,
                "request_id": request_id,
            }
        )
        if success is not UNSET:
            field_dict["success"] = success
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_error_details import LegacyErrorDetails  # noqa: PLC0415

        d = dict(src_dict)
        error = d.pop("error")

        status_code = d.pop("status_code")

        code = d.pop("code")

        request_id = d.pop("request_id")

        success = d.pop("success", UNSET)

        _details = d.pop("details", UNSET)
        details: LegacyErrorDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = LegacyErrorDetails.from_dict(_details)

        legacy_error = cls(
            error=error,
            status_code=status_code,
            code=code,
            request_id=request_id,
            success=success,
            details=details,
        )

        legacy_error.additional_properties = d
        return legacy_error

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
