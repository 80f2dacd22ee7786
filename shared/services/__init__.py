"""Use cases the triggers call: each takes validated input and the caller, and returns models.

A service is a class whose collaborators (repositories, other services, settings, the clock)
come in ``__init__``; ``shared.deps`` builds them, and no service reaches for ``shared.deps``.
"""
