from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RateWindow")


@_attrs_define
class RateWindow:
    """
    Attributes:
        requests (int): Requests allowed per window.
        seconds (float): The window's length in seconds.
    """

    requests: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        requests = self.requests

        seconds = self.seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requests": requests,
                "seconds": seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests = d.pop("requests")

        seconds = d.pop("seconds")

        rate_window = cls(
            requests=requests,
            seconds=seconds,
        )

        return rate_window
