"""Network rules for endpoints tenants configure."""
