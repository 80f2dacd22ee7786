from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.evaluation_error_body_details import EvaluationErrorBodyDetails


T = TypeVar("T", bound="EvaluationErrorBody")


@_attrs_define
class EvaluationErrorBody:
    """
    Attributes:
        code (str): The seed's code: INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, CONFLICT,
            RATE_LIMITED or SERVER_ERROR.
        message (str): What went wrong, for a person.
        details (EvaluationErrorBodyDetails): The error's specifics plus code (the precise /api/v1 code), field (the
            first bad field of a validation failure), request_id and trace_id.
    """

    code: str
    message: str
    details: EvaluationErrorBodyDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evaluation_error_body_details import EvaluationErrorBodyDetails  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        details = EvaluationErrorBodyDetails.from_dict(d.pop("details"))

        evaluation_error_body = cls(
            code=code,
            message=message,
            details=details,
        )

        evaluation_error_body.additional_properties = d
        return evaluation_error_body

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
