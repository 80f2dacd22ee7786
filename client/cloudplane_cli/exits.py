"""Exit codes, one per kind of failure, so scripts can tell them apart.

| code | meaning |
|---|---|
| 0 | done |
| 1 | any other failure |
| 2 | usage: a bad command line, or input the API refused (400, 413, 415, 422) |
| 3 | auth: no or bad key (401), not allowed (403) |
| 4 | not found (404) |
| 5 | conflict with the resource's state (409) |
| 6 | server side: 5xx, 429 after the retries, or the API could not be reached |
| 7 | the job waited for ended other than ``completed`` |
"""

from __future__ import annotations

OK, ERROR, USAGE, AUTH, NOT_FOUND, CONFLICT, SERVER, JOB_NOT_COMPLETED = 0, 1, 2, 3, 4, 5, 6, 7


def for_status(status: int) -> int:
    if status in (401, 403):
        return AUTH
    if status == 404:
        return NOT_FOUND
    if status == 409:
        return CONFLICT
    if status == 429 or status >= 500:
        return SERVER
    if 400 <= status < 500:
        return USAGE
    return ERROR
