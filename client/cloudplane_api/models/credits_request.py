from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credits_ref import CreditsRef


T = TypeVar("T", bound="CreditsRequest")


@_attrs_define
class CreditsRequest:
    """``credits`` (``billing_acct_id``, ``amount``) and ``get_credits`` (``billing_acct_id``).

    Attributes:
        credits_ (CreditsRef | None | Unset):
    """

    credits_: CreditsRef | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.credits_ref import CreditsRef  # noqa: PLC0415

        credits_: dict[str, Any] | None | Unset
        if isinstance(self.credits_, Unset):
            credits_ = UNSET
        elif isinstance(self.credits_, CreditsRef):
            credits_ = self.credits_.to_dict()
        else:
            credits_ = self.credits_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if credits_ is not UNSET:
            field_dict["credits"] = credits_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credits_ref import CreditsRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_credits_(data: object) -> CreditsRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credits_type_0 = CreditsRef.from_dict(data)

                return credits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreditsRef | None | Unset, data)

        credits_ = _parse_credits_(d.pop("credits", UNSET))

        credits_request = cls(
            credits_=credits_,
        )

        credits_request.additional_properties = d
        return credits_request

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
