from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_issue_kind import ImportIssueKind

T = TypeVar("T", bound="ImportIssue")


@_attrs_define
class ImportIssue:
    """
    Attributes:
        kind (ImportIssueKind):
        id (str):
        code (str):
        message (str):
    """

    kind: ImportIssueKind
    id: str
    code: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        id = self.id

        code = self.code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
                "code": code,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ImportIssueKind(d.pop("kind"))

        id = d.pop("id")

        code = d.pop("code")

        message = d.pop("message")

        import_issue = cls(
            kind=kind,
            id=id,
            code=code,
            message=message,
        )

        import_issue.additional_properties = d
        return import_issue

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
