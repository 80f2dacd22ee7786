"""Request/response plumbing: errors, auth, rate limits, pagination, the route table."""
