"""The address rules of this deployment, applied to every cluster endpoint a tenant gives.

One place reads the settings that decide which addresses a server may have (private ranges,
the allowed networks), so registration, backup import and every later connection check an
endpoint the same way.
"""

from __future__ import annotations

from shared.config import Settings
from shared.models.servers import ReasonCode
from shared.net.addresses import Checked, EndpointNotAllowed, check_endpoint
from shared.providers import kubeconfig
from shared.providers import kubernetes as kube


class EndpointPolicy:
    def __init__(self, settings: Settings) -> None:
        self._allow_private = settings.allow_private_endpoints
        self._allowed_networks = settings.allowed_networks

    def check(self, url: str, field: str = "api_url") -> Checked:
        """The rules on ``url``; ``EndpointNotAllowed`` (a 422 naming ``field``) if refused."""
        return check_endpoint(
            url, allow_private=self._allow_private, allowed_networks=self._allowed_networks, field=field
        )

    def kubeconfig_endpoint(self, text: str, context: str | None) -> str:
        """The API URL of the kubeconfig's context, after the rules on its proxy (the URL is the caller's to check)."""
        model = kubeconfig.parse(text, context)
        if model.cluster.proxy_url is not None:
            self.check(model.cluster.proxy_url, "kubeconfig.proxy-url")
        return model.cluster.server

    def cluster_address(self, url: str) -> str:
        """``Target.check`` for a kubeconfig's proxy: its checked address, or a ``ClusterError``."""
        try:
            return self.check(url, "kubeconfig.proxy-url").address
        except EndpointNotAllowed as error:
            raise refusal(error) from None


def refusal(error: EndpointNotAllowed) -> kube.ClusterError:
    """A refused endpoint as the cluster error a live check reports (never a raised 422)."""
    reason: ReasonCode = "ENDPOINT_NOT_ALLOWED" if error.rule != "unresolvable" else "UNREACHABLE"
    return kube.ClusterError(reason, error.message)
