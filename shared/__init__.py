"""Cloudplane's domain package: usable from a script or a test without a Functions host.

Nothing in here imports ``azure.functions``; the triggers in ``functions/`` translate
between the Functions types and this package.
"""

__version__ = "0.1.0"
