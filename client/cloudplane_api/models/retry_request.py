from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RetryRequest")


@_attrs_define
class RetryRequest:
    """
    Attributes:
        failed_only (bool | Unset): Re-run only the failed batches (else every batch). Default: True.
    """

    failed_only: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        failed_only = self.failed_only

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if failed_only is not UNSET:
            field_dict["failed_only"] = failed_only

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failed_only = d.pop("failed_only", UNSET)

        retry_request = cls(
            failed_only=failed_only,
        )

        return retry_request
