from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.span import Span


T = TypeVar("T", bound="TraceBatch")


@_attrs_define
class TraceBatch:
    """
    Attributes:
        source_id (str):
        spans (list[Span]): 1 to 1,000 spans.
    """

    source_id: str
    spans: list[Span]

    def to_dict(self) -> dict[str, Any]:
        source_id = self.source_id

        spans = []
        for spans_item_data in self.spans:
            spans_item = spans_item_data.to_dict()
            spans.append(spans_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "source_id": source_id,
                "spans": spans,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span import Span  # noqa: PLC0415

        d = dict(src_dict)
        source_id = d.pop("source_id")

        spans = []
        _spans = d.pop("spans")
        for spans_item_data in _spans:
            spans_item = Span.from_dict(spans_item_data)

            spans.append(spans_item)

        trace_batch = cls(
            source_id=source_id,
            spans=spans,
        )

        return trace_batch
