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


def _unkeyed_digests(secret: str, cloud: Any) -> list[str]:
    """What anyone could compute offline from a guessed password: plain hashes of it and of the entry."""
    import hashlib
    import json

    texts = [secret.encode(), json.dumps(cloud.secret_dict(), sort_keys=True).encode()]
    return [algo(text).hexdigest() for text in texts for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5)]


def test_the_key_and_the_logged_id_say_nothing_about_the_password() -> None:
    service = ConcertimService(clouds(), None, None)  # type: ignore[arg-type]
    one = service.access("t1", CloudEnv.model_validate(UI_ENV))
    two = service.access("t1", CloudEnv.model_validate({**UI_ENV, "password": "pw-two"}))
    other_user = service.access("t1", CloudEnv.model_validate({**UI_ENV, "user_id": "u2"}))
    other_tenant = service.access("t2", CloudEnv.model_validate(UI_ENV))
    assert one.key == two.key, "a changed password replaces the user's connection, it does not add one"
    assert one.cloud_id == two.cloud_id, "the id in log lines says nothing about the password"
    assert one.key != other_user.key and one.cloud_id != other_user.cloud_id
    assert one.key != other_tenant.key, "tenants never share a connection"
    assert one.cloud_id.startswith("concertim-")
    for value in (one.key, one.cloud_id, one.cloud.fingerprint()):
        assert "pw-one" not in value
        for digest in _unkeyed_digests("pw-one", one.cloud):
            assert digest[:12] not in value, "a plain hash of the password would let guesses be tested offline"


def test_the_fingerprint_is_keyed_and_still_tells_passwords_apart() -> None:
    one = cloud_config(CloudEnv.model_validate(UI_ENV))
    two = cloud_config(CloudEnv.model_validate({**UI_ENV, "password": "pw-two"}))
    assert one.fingerprint() == cloud_config(CloudEnv.model_validate(UI_ENV)).fingerprint()
    assert one.fingerprint() != two.fingerprint()
    assert one.fingerprint() not in _unkeyed_digests("pw-one", one)


def test_registered_and_concertim_clouds_get_one_kind_of_id() -> None:
    """``access_with`` is the one way: the v1 services and Concertim's name a cloud alike."""
    cloud = cloud_config(CloudEnv.model_validate(UI_ENV))
    plain = clouds().access_with("t1", cloud)
    via_concertim = ConcertimService(clouds(), None, None).access("t1", CloudEnv.model_validate(UI_ENV))  # type: ignore[arg-type]
    assert plain.key == via_concertim.key
    assert plain.cloud_id.removeprefix("env-") == via_concertim.cloud_id.removeprefix("concertim-")


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
