from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.concertim_error_details import ConcertimErrorDetails


T = TypeVar("T", bound="ConcertimError")


@_attrs_define
class ConcertimError:
    """Seed 004's failure: ``success: false``, a code as ``error`` and the text as ``message`` (what
    Concertim's UI shows), plus the status, details and request id. Never a traceback or a header.

        Attributes:
            error (str):
            message (str):
            status_code (int):
            request_id (str):
            success (bool | Unset):  Default: False.
            details (ConcertimErrorDetails | Unset):
    """

    error: str
    message: str
    status_code: int
    request_id: str
    success: bool | Unset = False
    details: ConcertimErrorDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        message = self.message

        status_code = self.status_code

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
                "message": message,
                "status_code": status_code,
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
        from ..models.concertim_error_details import ConcertimErrorDetails  # noqa: PLC0415

        d = dict(src_dict)
        error = d.pop("error")

        message = d.pop("message")

        status_code = d.pop("status_code")

        request_id = d.pop("request_id")

        success = d.pop("success", UNSET)

        _details = d.pop("details", UNSET)
        details: ConcertimErrorDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = ConcertimErrorDetails.from_dict(_details)

        concertim_error = cls(
            error=error,
            message=message,
            status_code=status_code,
            request_id=request_id,
            success=success,
            details=details,
        )

        concertim_error.additional_properties = d
        return concertim_error

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
