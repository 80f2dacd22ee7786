from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.duration_percentiles import DurationPercentiles
    from ..models.job_stats_by_status import JobStatsByStatus
    from ..models.job_stats_by_type import JobStatsByType


T = TypeVar("T", bound="JobStats")


@_attrs_define
class JobStats:
    """The tenant's jobs over a window. Terminal counts are by the hour the job ended (the first hour
    of the window is counted whole); queued, running and cancelling counts are jobs created in the
    window that are still in that state. ``success_rate`` is completed / finished, where finished =
    completed + completed_with_errors + failed (cancelled jobs are left out); null when none finished.
    A retried job that ends again is counted again under its new status.

        Attributes:
            window_hours (int):
            from_ (datetime.datetime):
            to (datetime.datetime):
            total (int):
            by_status (JobStatsByStatus):
            by_type (JobStatsByType):
            success_rate (float | None):
            duration_seconds (DurationPercentiles): Run time (completed_at - started_at) of finished jobs, in seconds, from
                a log-scale histogram
                (about +-20%); null when no finished job in the window has a start time.
    """

    window_hours: int
    from_: datetime.datetime
    to: datetime.datetime
    total: int
    by_status: JobStatsByStatus
    by_type: JobStatsByType
    success_rate: float | None
    duration_seconds: DurationPercentiles
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        window_hours = self.window_hours

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        total = self.total

        by_status = self.by_status.to_dict()

        by_type = self.by_type.to_dict()

        success_rate: float | None
        success_rate = self.success_rate

        duration_seconds = self.duration_seconds.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "window_hours": window_hours,
                "from": from_,
                "to": to,
                "total": total,
                "by_status": by_status,
                "by_type": by_type,
                "success_rate": success_rate,
                "duration_seconds": duration_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duration_percentiles import DurationPercentiles  # noqa: PLC0415
        from ..models.job_stats_by_status import JobStatsByStatus  # noqa: PLC0415
        from ..models.job_stats_by_type import JobStatsByType  # noqa: PLC0415

        d = dict(src_dict)
        window_hours = d.pop("window_hours")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        total = d.pop("total")

        by_status = JobStatsByStatus.from_dict(d.pop("by_status"))

        by_type = JobStatsByType.from_dict(d.pop("by_type"))

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))

        duration_seconds = DurationPercentiles.from_dict(d.pop("duration_seconds"))

        job_stats = cls(
            window_hours=window_hours,
            from_=from_,
            to=to,
            total=total,
            by_status=by_status,
            by_type=by_type,
            success_rate=success_rate,
            duration_seconds=duration_seconds,
        )

        job_stats.additional_properties = d
        return job_stats

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
