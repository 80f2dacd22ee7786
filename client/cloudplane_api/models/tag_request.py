from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tag_ref import TagRef


T = TypeVar("T", bound="TagRequest")


@_attrs_define
class TagRequest:
    """
    Attributes:
        tag (None | TagRef | Unset):
    """

    tag: None | TagRef | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tag_ref import TagRef  # noqa: PLC0415

        tag: dict[str, Any] | None | Unset
        if isinstance(self.tag, Unset):
            tag = UNSET
        elif isinstance(self.tag, TagRef):
            tag = self.tag.to_dict()
        else:
            tag = self.tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tag is not UNSET:
            field_dict["tag"] = tag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tag_ref import TagRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_tag(data: object) -> None | TagRef | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tag_type_0 = TagRef.from_dict(data)

                return tag_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TagRef | Unset, data)

        tag = _parse_tag(d.pop("tag", UNSET))

        tag_request = cls(
            tag=tag,
        )

        tag_request.additional_properties = d
        return tag_request

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
