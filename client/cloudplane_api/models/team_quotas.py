from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.team_quotas_compute_type_0 import TeamQuotasComputeType0
    from ..models.team_quotas_network_type_0 import TeamQuotasNetworkType0
    from ..models.team_quotas_volume_type_0 import TeamQuotasVolumeType0


T = TypeVar("T", bound="TeamQuotas")


@_attrs_define
class TeamQuotas:
    """A project's quotas per service; a service the cloud does not run is null and named in ``missing``.

    Attributes:
        team_id (str):
        compute (None | TeamQuotasComputeType0 | Unset):
        volume (None | TeamQuotasVolumeType0 | Unset):
        network (None | TeamQuotasNetworkType0 | Unset):
        missing (list[str] | Unset): Services absent from the cloud's catalog.
    """

    team_id: str
    compute: None | TeamQuotasComputeType0 | Unset = UNSET
    volume: None | TeamQuotasVolumeType0 | Unset = UNSET
    network: None | TeamQuotasNetworkType0 | Unset = UNSET
    missing: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.team_quotas_compute_type_0 import TeamQuotasComputeType0  # noqa: PLC0415
        from ..models.team_quotas_network_type_0 import TeamQuotasNetworkType0  # noqa: PLC0415
        from ..models.team_quotas_volume_type_0 import TeamQuotasVolumeType0  # noqa: PLC0415

        team_id = self.team_id

        compute: dict[str, Any] | None | Unset
        if isinstance(self.compute, Unset):
            compute = UNSET
        elif isinstance(self.compute, TeamQuotasComputeType0):
            compute = self.compute.to_dict()
        else:
            compute = self.compute

        volume: dict[str, Any] | None | Unset
        if isinstance(self.volume, Unset):
            volume = UNSET
        elif isinstance(self.volume, TeamQuotasVolumeType0):
            volume = self.volume.to_dict()
        else:
            volume = self.volume

        network: dict[str, Any] | None | Unset
        if isinstance(self.network, Unset):
            network = UNSET
        elif isinstance(self.network, TeamQuotasNetworkType0):
            network = self.network.to_dict()
        else:
            network = self.network

        missing: list[str] | Unset = UNSET
        if not isinstance(self.missing, Unset):
            missing = self.missing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "team_id": team_id,
            }
        )
        if compute is not UNSET:
            field_dict["compute"] = compute
        if volume is not UNSET:
            field_dict["volume"] = volume
        if network is not UNSET:
            field_dict["network"] = network
        if missing is not UNSET:
            field_dict["missing"] = missing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.team_quotas_compute_type_0 import TeamQuotasComputeType0  # noqa: PLC0415
        from ..models.team_quotas_network_type_0 import TeamQuotasNetworkType0  # noqa: PLC0415
        from ..models.team_quotas_volume_type_0 import TeamQuotasVolumeType0  # noqa: PLC0415

        d = dict(src_dict)
        team_id = d.pop("team_id")

        def _parse_compute(data: object) -> None | TeamQuotasComputeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                compute_type_0 = TeamQuotasComputeType0.from_dict(data)

                return compute_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TeamQuotasComputeType0 | Unset, data)

        compute = _parse_compute(d.pop("compute", UNSET))

        def _parse_volume(data: object) -> None | TeamQuotasVolumeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                volume_type_0 = TeamQuotasVolumeType0.from_dict(data)

                return volume_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TeamQuotasVolumeType0 | Unset, data)

        volume = _parse_volume(d.pop("volume", UNSET))

        def _parse_network(data: object) -> None | TeamQuotasNetworkType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                network_type_0 = TeamQuotasNetworkType0.from_dict(data)

                return network_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TeamQuotasNetworkType0 | Unset, data)

        network = _parse_network(d.pop("network", UNSET))

        missing = cast(list[str], d.pop("missing", UNSET))

        team_quotas = cls(
            team_id=team_id,
            compute=compute,
            volume=volume,
            network=network,
            missing=missing,
        )

        team_quotas.additional_properties = d
        return team_quotas

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
