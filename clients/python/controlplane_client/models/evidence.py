from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Evidence")


@_attrs_define
class Evidence:
    """
    Attributes:
        created_at (datetime.datetime):
        id (str):
        kind (str): What it is: `mcp_config_report`, `iac_findings`, `reachability`,
            `trace_batch`, `result_batch`, or `scan_error`/`run_error` for a run
            that could not scan (unparsable document, missing credential).
        location (str): Where the blob is: `s3://bucket/key` on AWS, `file:///path` locally.
        org_id (str):
        sha256 (str): Hex SHA-256 of the blob.
        size (int):
        source_id (str):
        summary (str):
        job_id (None | str | Unset):
    """

    created_at: datetime.datetime
    id: str
    kind: str
    location: str
    org_id: str
    sha256: str
    size: int
    source_id: str
    summary: str
    job_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = self.id

        kind = self.kind

        location = self.location

        org_id = self.org_id

        sha256 = self.sha256

        size = self.size

        source_id = self.source_id

        summary = self.summary

        job_id: None | str | Unset
        if isinstance(self.job_id, Unset):
            job_id = UNSET
        else:
            job_id = self.job_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "kind": kind,
                "location": location,
                "org_id": org_id,
                "sha256": sha256,
                "size": size,
                "source_id": source_id,
                "summary": summary,
            }
        )
        if job_id is not UNSET:
            field_dict["job_id"] = job_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        kind = d.pop("kind")

        location = d.pop("location")

        org_id = d.pop("org_id")

        sha256 = d.pop("sha256")

        size = d.pop("size")

        source_id = d.pop("source_id")

        summary = d.pop("summary")

        def _parse_job_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        job_id = _parse_job_id(d.pop("job_id", UNSET))

        evidence = cls(
            created_at=created_at,
            id=id,
            kind=kind,
            location=location,
            org_id=org_id,
            sha256=sha256,
            size=size,
            source_id=source_id,
            summary=summary,
            job_id=job_id,
        )

        evidence.additional_properties = d
        return evidence

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
