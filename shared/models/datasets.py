"""Evaluation datasets: what the API shows of an uploaded CSV or JSON Lines file."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from shared.models.base import ApiModel


class Dataset(ApiModel):
    """An uploaded dataset (the file itself stays in blob storage)."""

    id: str
    name: str
    filename: str | None = Field(None, description="The uploaded file's name, when given (?filename=).")
    format: Literal["csv", "jsonl"]
    columns: list[str]
    row_count: int = Field(description="Data records, malformed ones included.")
    malformed_rows: int = Field(0, description="Records that will be reported as errored rows.")
    size_bytes: int
    created_at: datetime


class DatasetUploadQuery(ApiModel):
    """``name`` of the dataset and the original ``filename`` (its extension helps detect the format)."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = Field(None, min_length=1, max_length=200, description="Defaults to the filename.")
    filename: str | None = Field(None, min_length=1, max_length=255, description="Original file name.")
