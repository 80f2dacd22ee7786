from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exported_server import ExportedServer
    from ..models.exported_template import ExportedTemplate


T = TypeVar("T", bound="ServerExport")


@_attrs_define
class ServerExport:
    """A tenant's servers and own templates (built-in templates are not exported).

    Attributes:
        exported_at (datetime.datetime):
        version (Literal[1] | Unset):  Default: 1.
        servers (list[ExportedServer] | Unset):
        templates (list[ExportedTemplate] | Unset):
    """

    exported_at: datetime.datetime
    version: Literal[1] | Unset = 1
    servers: list[ExportedServer] | Unset = UNSET
    templates: list[ExportedTemplate] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        exported_at = self.exported_at.isoformat()

        version = self.version

        servers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.servers, Unset):
            servers = []
            for servers_item_data in self.servers:
                servers_item = servers_item_data.to_dict()
                servers.append(servers_item)

        templates: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.templates, Unset):
            templates = []
            for templates_item_data in self.templates:
                templates_item = templates_item_data.to_dict()
                templates.append(templates_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "exported_at": exported_at,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if servers is not UNSET:
            field_dict["servers"] = servers
        if templates is not UNSET:
            field_dict["templates"] = templates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exported_server import ExportedServer  # noqa: PLC0415
        from ..models.exported_template import ExportedTemplate  # noqa: PLC0415

        d = dict(src_dict)
        exported_at = datetime.datetime.fromisoformat(d.pop("exported_at"))

        version = cast(Literal[1] | Unset, d.pop("version", UNSET))
        if version != 1 and not isinstance(version, Unset):
            raise ValueError(f"version must match const 1, got '{version}'")

        _servers = d.pop("servers", UNSET)
        servers: list[ExportedServer] | Unset = UNSET
        if _servers is not UNSET:
            servers = []
            for servers_item_data in _servers:
                servers_item = ExportedServer.from_dict(servers_item_data)

                servers.append(servers_item)

        _templates = d.pop("templates", UNSET)
        templates: list[ExportedTemplate] | Unset = UNSET
        if _templates is not UNSET:
            templates = []
            for templates_item_data in _templates:
                templates_item = ExportedTemplate.from_dict(templates_item_data)

                templates.append(templates_item)

        server_export = cls(
            exported_at=exported_at,
            version=version,
            servers=servers,
            templates=templates,
        )

        return server_export
