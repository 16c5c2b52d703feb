from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.span_kind import SpanKind
from ..models.span_status import SpanStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_attributes_type_0 import SpanAttributesType0


T = TypeVar("T", bound="Span")


@_attrs_define
class Span:
    """One span, in OpenTelemetry's terms.

    Attributes:
        end_time (datetime.datetime): Not before `start_time`.
        name (str):
        span_id (str): 16 lowercase hex digits, not all zero.
        start_time (datetime.datetime):
        trace_id (str): 32 lowercase hex digits, not all zero.
        attributes (None | SpanAttributesType0 | Unset):
        kind (None | SpanKind | Unset):
        parent_span_id (None | str | Unset): 16 lowercase hex digits, not all zero.
        status (None | SpanStatus | Unset):
    """

    end_time: datetime.datetime
    name: str
    span_id: str
    start_time: datetime.datetime
    trace_id: str
    attributes: None | SpanAttributesType0 | Unset = UNSET
    kind: None | SpanKind | Unset = UNSET
    parent_span_id: None | str | Unset = UNSET
    status: None | SpanStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.span_attributes_type_0 import SpanAttributesType0  # noqa: PLC0415

        end_time = self.end_time.isoformat()

        name = self.name

        span_id = self.span_id

        start_time = self.start_time.isoformat()

        trace_id = self.trace_id

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, SpanAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, SpanKind):
            kind = self.kind.value
        else:
            kind = self.kind

        parent_span_id: None | str | Unset
        if isinstance(self.parent_span_id, Unset):
            parent_span_id = UNSET
        else:
            parent_span_id = self.parent_span_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, SpanStatus):
            status = self.status.value
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "end_time": end_time,
                "name": name,
                "span_id": span_id,
                "start_time": start_time,
                "trace_id": trace_id,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if kind is not UNSET:
            field_dict["kind"] = kind
        if parent_span_id is not UNSET:
            field_dict["parent_span_id"] = parent_span_id
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_attributes_type_0 import SpanAttributesType0  # noqa: PLC0415

        d = dict(src_dict)
        end_time = datetime.datetime.fromisoformat(d.pop("end_time"))

        name = d.pop("name")

        span_id = d.pop("span_id")

        start_time = datetime.datetime.fromisoformat(d.pop("start_time"))

        trace_id = d.pop("trace_id")

        def _parse_attributes(data: object) -> None | SpanAttributesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = SpanAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpanAttributesType0 | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        def _parse_kind(data: object) -> None | SpanKind | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = SpanKind(data)

                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpanKind | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_parent_span_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_span_id = _parse_parent_span_id(d.pop("parent_span_id", UNSET))

        def _parse_status(data: object) -> None | SpanStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = SpanStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpanStatus | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        span = cls(
            end_time=end_time,
            name=name,
            span_id=span_id,
            start_time=start_time,
            trace_id=trace_id,
            attributes=attributes,
            kind=kind,
            parent_span_id=parent_span_id,
            status=status,
        )

        return span
