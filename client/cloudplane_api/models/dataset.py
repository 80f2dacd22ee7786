from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dataset_format import DatasetFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="Dataset")


@_attrs_define
class Dataset:
    """An uploaded dataset (the file itself stays in blob storage).

    Attributes:
        id (str):
        name (str):
        format_ (DatasetFormat):
        columns (list[str]):
        row_count (int): Data records, malformed ones included.
        size_bytes (int):
        created_at (datetime.datetime):
        filename (None | str | Unset): The uploaded file's name, when given (?filename=).
        malformed_rows (int | Unset): Records that will be reported as errored rows. Default: 0.
    """

    id: str
    name: str
    format_: DatasetFormat
    columns: list[str]
    row_count: int
    size_bytes: int
    created_at: datetime.datetime
    filename: None | str | Unset = UNSET
    malformed_rows: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        format_ = self.format_.value

        columns = self.columns

        row_count = self.row_count

        size_bytes = self.size_bytes

        created_at = self.created_at.isoformat()

        filename: None | str | Unset
        if isinstance(self.filename, Unset):
            filename = UNSET
        else:
            filename = self.filename

        malformed_rows = self.malformed_rows

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "format": format_,
                "columns": columns,
                "row_count": row_count,
                "size_bytes": size_bytes,
                "created_at": created_at,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if malformed_rows is not UNSET:
            field_dict["malformed_rows"] = malformed_rows

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        format_ = DatasetFormat(d.pop("format"))

        columns = cast(list[str], d.pop("columns"))

        row_count = d.pop("row_count")

        size_bytes = d.pop("size_bytes")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_filename(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        filename = _parse_filename(d.pop("filename", UNSET))

        malformed_rows = d.pop("malformed_rows", UNSET)

        dataset = cls(
            id=id,
            name=name,
            format_=format_,
            columns=columns,
            row_count=row_count,
            size_bytes=size_bytes,
            created_at=created_at,
            filename=filename,
            malformed_rows=malformed_rows,
        )

        dataset.additional_properties = d
        return dataset

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
