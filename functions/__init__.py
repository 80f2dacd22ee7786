"""HTTP, queue and timer triggers: thin translations between Azure Functions and ``shared``."""
