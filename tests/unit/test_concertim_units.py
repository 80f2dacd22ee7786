"""Concertim's ``cloud_env`` as a cloud: the config, the connection key, the id logged, the limits' names."""

from __future__ import annotations

from typing import Any

import pytest

from shared.errors import ValidationFailed
from shared.models.cloud_compute import CloudLimits, LimitUsage, TeamQuotas
from shared.models.concertim import CloudEnv
from shared.services import concertim
from shared.services.concertim import ConcertimService, cloud_config, flat_quotas

UI_ENV = {"auth_url": "https://keystone.example.org/v3", "user_id": "u1", "password": "pw-one", "project_id": "p1"}


def clouds() -> Any:
    """The real clouds service, with only its connection cache (no storage is reached here)."""
    from shared.providers.openstack import CloudConnections
    from shared.services.clouds import CloudsService

    return CloudsService(None, None, CloudConnections(1.0), lambda: None)  # type: ignore[arg-type]


def test_cloud_env_is_a_password_cloud_config() -> None:
    cloud = cloud_config(CloudEnv.model_validate(UI_ENV))
    assert cloud.auth.method == "password" and cloud.auth.user_id == "u1" and cloud.auth.project_id == "p1"
    assert cloud.interface == "public" and cloud.verify is True
    assert cloud.auth.password is not None and cloud.auth.password.get_secret_value() == "pw-one"


def test_the_key_follows_the_password_and_the_logged_id_never_does() -> None:
    service = ConcertimService(clouds(), None, None)  # type: ignore[arg-type]
    one = service.access("t1", CloudEnv.model_validate(UI_ENV))
    two = service.access("t1", CloudEnv.model_validate({**UI_ENV, "password": "pw-two"}))
    other_tenant = service.access("t2", CloudEnv.model_validate(UI_ENV))
    assert one.key != two.key, "a changed password is a new connection"
    assert one.key != other_tenant.key, "tenants never share a connection"
    assert one.cloud_id == two.cloud_id, "the id in log lines says nothing about the password"
    assert "pw-one" not in one.key and "pw-one" not in one.cloud_id


def test_a_cloud_env_the_cloud_model_refuses_names_the_body_field() -> None:
    env = CloudEnv.model_validate({**UI_ENV, "auth_url": " "})
    with pytest.raises(ValidationFailed) as caught:
        cloud_config(env)
    paths = [field["path"] for field in caught.value.details["fields"]]
    assert paths and all(path.startswith("body.cloud_env") for path in paths)


def test_limits_take_novas_names_and_quotas_merge() -> None:
    class Stats:
        def limits(self, access: Any) -> CloudLimits:
            return CloudLimits(
                compute={"total_cores": LimitUsage(limit=20, used=4), "keypairs": LimitUsage(limit=100, used=None)}
            )

    services = concertim.CloudServices(None, None, None, None, Stats())  # type: ignore[arg-type]
    service = ConcertimService(clouds(), None, services)  # type: ignore[arg-type]
    assert service.team_limits("t", CloudEnv.model_validate(UI_ENV)) == {
        "maxTotalCores": 20,
        "totalCoresUsed": 4,
        "maxTotalKeypairs": 100,
    }
    quotas = TeamQuotas(team_id="p", compute={"cores": 20}, volume=None, network={"port": 50}, missing=["volume"])
    assert flat_quotas(quotas) == {"cores": 20, "port": 50}
