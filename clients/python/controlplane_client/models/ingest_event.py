from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ingest_event_data import IngestEventData


T = TypeVar("T", bound="IngestEvent")


@_attrs_define
class IngestEvent:
    """
    Example:
        {'data': {'content_type': 'image/png', 'path': 'uploads/a.png', 'size': 1024}, 'event_key': 'upload-7f3a',
            'project_id': 'prj_01jh3v5d2k8q9w6x7y8z9a0b1c', 'type': 'file.uploaded'}

    Attributes:
        data (IngestEventData): What happened, e.g. `{"path": "uploads/a.png", "size": 1024, "content_type":
            "image/png"}`;
            at most 8 KiB as JSON.
        event_key (str): The data plane's own id for the event (1–200 characters): a retry
            with the same key records nothing new. Kept 7 days.
        project_id (str):
        type_ (str): `file.uploaded`.
    """

    data: IngestEventData
    event_key: str
    project_id: str
    type_: str

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        event_key = self.event_key

        project_id = self.project_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "event_key": event_key,
                "project_id": project_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ingest_event_data import IngestEventData  # noqa: PLC0415

        d = dict(src_dict)
        data = IngestEventData.from_dict(d.pop("data"))

        event_key = d.pop("event_key")

        project_id = d.pop("project_id")

        type_ = d.pop("type")

        ingest_event = cls(
            data=data,
            event_key=event_key,
            project_id=project_id,
            type_=type_,
        )

        return ingest_event
