"""The base of every API schema.

``defer_build`` leaves each model's validator to be built on first use instead of at
import: a cold start then pays only for the models its first request touches, not for
all of them (measured in bench/cold_start.py).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    model_config = ConfigDict(defer_build=True)
