from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_export_filter import AuditExportFilter


T = TypeVar("T", bound="AuditExport")


@_attrs_define
class AuditExport:
    """An audit export: its job's state and, once completed, the file.

    Attributes:
        created_at (datetime.datetime):
        filter_ (AuditExportFilter): The filters the export applies.
        id (str):
        status (JobStatus):
        download_url (None | str | Unset): Where the CSV downloads: a presigned S3 URL valid for 15 minutes on
            AWS, else `/v1/audit/exports/{id}/download` (with your credentials).
        error (None | str | Unset):
        finished_at (datetime.datetime | None | Unset):
        head_hash (None | str | Unset):
        head_seq (int | None | Unset): The chain's head when the export ran: an unfiltered export holds
            every event up to it, the last with this hash.
        rows (int | None | Unset): Events in the file.
        sha256 (None | str | Unset):
        size (int | None | Unset): Size in bytes and SHA-256 (hex) of the CSV file.
    """

    created_at: datetime.datetime
    filter_: AuditExportFilter
    id: str
    status: JobStatus
    download_url: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    head_hash: None | str | Unset = UNSET
    head_seq: int | None | Unset = UNSET
    rows: int | None | Unset = UNSET
    sha256: None | str | Unset = UNSET
    size: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        filter_ = self.filter_.to_dict()

        id = self.id

        status = self.status.value

        download_url: None | str | Unset
        if isinstance(self.download_url, Unset):
            download_url = UNSET
        else:
            download_url = self.download_url

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        head_hash: None | str | Unset
        if isinstance(self.head_hash, Unset):
            head_hash = UNSET
        else:
            head_hash = self.head_hash

        head_seq: int | None | Unset
        if isinstance(self.head_seq, Unset):
            head_seq = UNSET
        else:
            head_seq = self.head_seq

        rows: int | None | Unset
        if isinstance(self.rows, Unset):
            rows = UNSET
        else:
            rows = self.rows

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        size: int | None | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "filter": filter_,
                "id": id,
                "status": status,
            }
        )
        if download_url is not UNSET:
            field_dict["download_url"] = download_url
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if head_hash is not UNSET:
            field_dict["head_hash"] = head_hash
        if head_seq is not UNSET:
            field_dict["head_seq"] = head_seq
        if rows is not UNSET:
            field_dict["rows"] = rows
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_export_filter import AuditExportFilter  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        filter_ = AuditExportFilter.from_dict(d.pop("filter"))

        id = d.pop("id")

        status = JobStatus(d.pop("status"))

        def _parse_download_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        download_url = _parse_download_url(d.pop("download_url", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_head_hash(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        head_hash = _parse_head_hash(d.pop("head_hash", UNSET))

        def _parse_head_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        head_seq = _parse_head_seq(d.pop("head_seq", UNSET))

        def _parse_rows(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rows = _parse_rows(d.pop("rows", UNSET))

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        def _parse_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        audit_export = cls(
            created_at=created_at,
            filter_=filter_,
            id=id,
            status=status,
            download_url=download_url,
            error=error,
            finished_at=finished_at,
            head_hash=head_hash,
            head_seq=head_seq,
            rows=rows,
            sha256=sha256,
            size=size,
        )

        audit_export.additional_properties = d
        return audit_export

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
