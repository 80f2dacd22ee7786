from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.import_issue import ImportIssue


T = TypeVar("T", bound="ImportResult")


@_attrs_define
class ImportResult:
    """Ids (servers and templates) by outcome; a server in ``errors`` may also be imported
    without credentials (code ``CREDENTIALS_NOT_RESTORED``).

        Attributes:
            created (list[str]):
            updated (list[str]):
            skipped (list[str]):
            errors (list[ImportIssue]):
    """

    created: list[str]
    updated: list[str]
    skipped: list[str]
    errors: list[ImportIssue]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        updated = self.updated

        skipped = self.skipped

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "updated": updated,
                "skipped": skipped,
                "errors": errors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_issue import ImportIssue  # noqa: PLC0415

        d = dict(src_dict)
        created = cast(list[str], d.pop("created"))

        updated = cast(list[str], d.pop("updated"))

        skipped = cast(list[str], d.pop("skipped"))

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = ImportIssue.from_dict(errors_item_data)

            errors.append(errors_item)

        import_result = cls(
            created=created,
            updated=updated,
            skipped=skipped,
            errors=errors,
        )

        import_result.additional_properties = d
        return import_result

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
