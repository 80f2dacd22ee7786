from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClosePeriods")


@_attrs_define
class ClosePeriods:
    """
    Attributes:
        through (None | str | Unset): Close ended periods up to this one.
    """

    through: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        through: None | str | Unset
        if isinstance(self.through, Unset):
            through = UNSET
        else:
            through = self.through

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if through is not UNSET:
            field_dict["through"] = through

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_through(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        through = _parse_through(d.pop("through", UNSET))

        close_periods = cls(
            through=through,
        )

        return close_periods
