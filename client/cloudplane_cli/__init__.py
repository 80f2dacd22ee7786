"""The ``cloudplane`` command line, on the cloudplane_client library.

Start-up is kept cheap (``cloudplane --help`` imports click and these small modules only):
httpx, Rich, YAML and the generated client are imported inside the commands that use them.
"""
