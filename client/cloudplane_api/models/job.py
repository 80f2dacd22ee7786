from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_configuration import JobConfiguration
    from ..models.job_error_info import JobErrorInfo
    from ..models.job_links import JobLinks
    from ..models.job_progress import JobProgress
    from ..models.job_summary_type_0 import JobSummaryType0


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """
    Attributes:
        id (str):
        type_ (str):
        name (str):
        description (None | str):
        status (JobStatus): ``queued -> running -> completed | completed_with_errors | failed``; ``cancelling ->
            cancelled``.

            The one status vocabulary: the API, the JobMessages, the engine, the sweeper and the
            statistics all use these members and the sets below, never the strings. ``TERMINAL`` holds
            the statuses a job never leaves (the sweep and cancel need to know), ``ACTIVE`` the others,
            ``FINISHED`` the terminal ones that have results.
        configuration (JobConfiguration):
        progress (JobProgress):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        error (JobErrorInfo | None):
        links (JobLinks):
        summary (JobSummaryType0 | None | Unset): The job type's summary once finished.
    """

    id: str
    type_: str
    name: str
    description: None | str
    status: JobStatus
    configuration: JobConfiguration
    progress: JobProgress
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    error: JobErrorInfo | None
    links: JobLinks
    summary: JobSummaryType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error_info import JobErrorInfo  # noqa: PLC0415
        from ..models.job_summary_type_0 import JobSummaryType0  # noqa: PLC0415

        id = self.id

        type_ = self.type_

        name = self.name

        description: None | str
        description = self.description

        status = self.status.value

        configuration = self.configuration.to_dict()

        progress = self.progress.to_dict()

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        error: dict[str, Any] | None
        if isinstance(self.error, JobErrorInfo):
            error = self.error.to_dict()
        else:
            error = self.error

        links = self.links.to_dict()

        summary: dict[str, Any] | None | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        elif isinstance(self.summary, JobSummaryType0):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "name": name,
                "description": description,
                "status": status,
                "configuration": configuration,
                "progress": progress,
                "created_at": created_at,
                "started_at": started_at,
                "completed_at": completed_at,
                "error": error,
                "links": links,
            }
        )
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_configuration import JobConfiguration  # noqa: PLC0415
        from ..models.job_error_info import JobErrorInfo  # noqa: PLC0415
        from ..models.job_links import JobLinks  # noqa: PLC0415
        from ..models.job_progress import JobProgress  # noqa: PLC0415
        from ..models.job_summary_type_0 import JobSummaryType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        status = JobStatus(d.pop("status"))

        configuration = JobConfiguration.from_dict(d.pop("configuration"))

        progress = JobProgress.from_dict(d.pop("progress"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        def _parse_error(data: object) -> JobErrorInfo | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobErrorInfo.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobErrorInfo | None, data)

        error = _parse_error(d.pop("error"))

        links = JobLinks.from_dict(d.pop("links"))

        def _parse_summary(data: object) -> JobSummaryType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_0 = JobSummaryType0.from_dict(data)

                return summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobSummaryType0 | None | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        job = cls(
            id=id,
            type_=type_,
            name=name,
            description=description,
            status=status,
            configuration=configuration,
            progress=progress,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            error=error,
            links=links,
            summary=summary,
        )

        job.additional_properties = d
        return job

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
