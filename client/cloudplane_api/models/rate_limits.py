from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_window import RateWindow


T = TypeVar("T", bound="RateLimits")


@_attrs_define
class RateLimits:
    """One budget for reads and one for writes; without ``write``, writes count against ``read``.

    Attributes:
        read (RateWindow):
        write (None | RateWindow | Unset):
    """

    read: RateWindow
    write: None | RateWindow | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.rate_window import RateWindow  # noqa: PLC0415

        read = self.read.to_dict()

        write: dict[str, Any] | None | Unset
        if isinstance(self.write, Unset):
            write = UNSET
        elif isinstance(self.write, RateWindow):
            write = self.write.to_dict()
        else:
            write = self.write

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "read": read,
            }
        )
        if write is not UNSET:
            field_dict["write"] = write

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_window import RateWindow  # noqa: PLC0415

        d = dict(src_dict)
        read = RateWindow.from_dict(d.pop("read"))

        def _parse_write(data: object) -> None | RateWindow | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                write_type_0 = RateWindow.from_dict(data)

                return write_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RateWindow | Unset, data)

        write = _parse_write(d.pop("write", UNSET))

        rate_limits = cls(
            read=read,
            write=write,
        )

        return rate_limits
