"""Kubeconfig and endpoint hardening over the real pipeline, against kmock on loopback.

The client connects only where the address check looked: a kubeconfig's ``proxy-url`` passes
the same rules, names must be strings (``"5"`` and ``5`` are not two spellings of one
cluster), untrusted YAML cannot expand or nest without bound, and a host name is connected
to at the address that was checked, never resolved a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import yaml

from shared.net import addresses
from tests.functional.test_servers import Recorder, kubeconfig, secret
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator

pytestmark = pytest.mark.usefixtures("cluster_settings")

# A name no real resolver answers (RFC 6761 ``.test``): only the injected one knows it.
NAME = "kmock.cloudplane.test"


@pytest.fixture(scope="module")
def cluster() -> Iterator[KubeEmulator]:
    with KubeEmulator() as emulator:
        yield emulator


@pytest.fixture
def api(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> Recorder:
    return Recorder(client, make_tenant()["headers"])


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The app's DNS for this test (a name -> its addresses); the system resolver is not asked."""
    table: dict[str, list[str]] = {}

    def resolver(timeout: float) -> Callable[[str], Iterable[str]]:
        return lambda host: list(table.get(host, []))

    monkeypatch.setattr(addresses, "system_resolver", resolver)
    return table


def post(api: Recorder, config: str | dict[str, Any], **fields: Any) -> Any:
    text = config if isinstance(config, str) else yaml.safe_dump(config)
    return api("POST", "/api/v1/servers", {"name": "kc", "kubeconfig": text, **fields})


def test_a_name_is_connected_to_at_the_checked_address(
    api: Recorder, cluster: KubeEmulator, dns: dict[str, list[str]]
) -> None:
    dns[NAME] = ["127.0.0.1"]
    url = f"http://{NAME}:{cluster.port}"
    server = post(api, kubeconfig(url, secret())).json()
    assert server["api_url"] == url
    result = api("POST", f"/api/v1/servers/{server['id']}/test").json()
    assert result["ok"] is True and result["kubernetes_version"] == "v1.30.2+kmock"

    by_token = api("POST", "/api/v1/servers", {"name": "tok", "api_url": url, "token": secret()}).json()
    assert api("GET", f"/api/v1/servers/{by_token['id']}/usage").status == 200

    dns[NAME] = ["169.254.169.254"]  # rebound after the check: checked again, refused, not connected
    rebound = api("POST", f"/api/v1/servers/{server['id']}/test").json()
    assert rebound["ok"] is False and rebound["reason"] == "ENDPOINT_NOT_ALLOWED"
    usage = api("GET", f"/api/v1/servers/{by_token['id']}/usage")
    assert usage.status == 422 and usage.json()["error"]["details"]["rule"] == "link_local_or_metadata"


def test_proxy_url_passes_the_same_rules(
    api: Recorder, cluster: KubeEmulator, dns: dict[str, list[str]], configure: Callable[..., None]
) -> None:
    # Registration never connects, so a public address may stand for the cluster here: the
    # allow-list admits it (and loopback) only, private endpoints are refused.
    configure(CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="false", CLOUDPLANE_ALLOWED_NETWORKS="8.8.8.8/32,127.0.0.0/8")
    dns["public.cloudplane.test"] = ["8.8.8.8"]
    config = yaml.safe_load(kubeconfig("https://public.cloudplane.test:6443", secret()))
    assert post(api, config).status == 201, "the cluster itself passes"
    config["clusters"][0]["cluster"]["proxy-url"] = cluster.url
    reply = post(api, config)
    assert reply.status == 422, reply.body
    error = reply.json()["error"]
    assert error["code"] == "ENDPOINT_NOT_ALLOWED"
    assert error["details"] == {"rule": "private_network", "field": "kubeconfig.proxy-url"}
    config["clusters"][0]["cluster"]["proxy-url"] = "http://[2002:a9fe:a9fe::1]:3128"
    assert post(api, config).json()["error"]["details"]["rule"] == "link_local_or_metadata"


def test_an_allowed_proxy_url_is_used_at_its_checked_address(
    api: Recorder, cluster: KubeEmulator, dns: dict[str, list[str]]
) -> None:
    # Nothing listens on port 1: only a request through the proxy (kmock answers absolute-form
    # requests as a proxy would forward them) reaches the cluster.
    dns[NAME] = ["127.0.0.1"]
    dns["proxy.cloudplane.test"] = ["127.0.0.1"]
    config = yaml.safe_load(kubeconfig(f"http://{NAME}:1", secret()))
    config["clusters"][0]["cluster"]["proxy-url"] = f"http://proxy.cloudplane.test:{cluster.port}"
    server = post(api, config).json()
    assert api("POST", f"/api/v1/servers/{server['id']}/test").json()["ok"] is True


def test_names_are_strings_so_5_and_quoted_5_are_two_clusters_refused(api: Recorder, cluster: KubeEmulator) -> None:
    config = yaml.safe_load(kubeconfig(cluster.url, secret()))
    config["clusters"] = [
        {"name": "5", "cluster": {"server": cluster.url}},
        {"name": 5, "cluster": {"server": "http://127.0.0.1:9"}},
    ]
    config["contexts"][0]["context"]["cluster"] = "5"
    reply = post(api, config)
    assert reply.status == 422
    assert reply.json()["error"]["code"] == "BAD_KUBECONFIG"
    assert reply.json()["error"]["details"] == {"field": "clusters[1].name"}


def test_an_alias_bomb_is_a_small_422(api: Recorder) -> None:
    bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    bomb += "current-context: *i\n"
    assert len(bomb) < 420
    reply = post(api, bomb, context="main")
    assert reply.status == 422 and reply.json()["error"]["code"] == "BAD_KUBECONFIG"
    assert len(reply.body) < 2048 and b"lol" not in reply.body


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("contexts: 5", "contexts"),
        ('users: ["x"]', "users[0]"),
        ("clusters: [1, 2, 3]", "clusters[0]"),
        ("clusters: {name: c}", "clusters"),
        ("clusters: [{name: c, cluster: [server]}]", "clusters[0].cluster"),
        ("[" * 3000 + "]" * 3000, None),
        ("a:\n" + "".join("  " * i + "- x:\n" for i in range(1, 150)), None),
    ],
    ids=["contexts-int", "users-str", "clusters-ints", "clusters-map", "cluster-list", "flow-deep", "block-deep"],
)
def test_wrong_shapes_are_422_naming_the_field(api: Recorder, text: str, field: str | None) -> None:
    reply = post(api, text)
    assert reply.status == 422, reply.body
    error = reply.json()["error"]
    assert error["code"] == "BAD_KUBECONFIG"
    assert error["details"].get("field") == field
    assert len(reply.body) < 2048


def test_the_missing_context_is_named_not_echoed(api: Recorder, cluster: KubeEmulator) -> None:
    wanted = "nope-ZQXJ"
    reply = post(api, kubeconfig(cluster.url, secret()), context=wanted)
    assert reply.status == 422 and reply.json()["error"]["details"] == {"field": "context"}
    assert b"ZQXJ" not in reply.body
