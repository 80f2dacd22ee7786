"""Clients of the clusters and clouds tenants register (heavy SDKs load lazily)."""
