from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Pushed")


@_attrs_define
class Pushed:
    """`ingest.trace_push`, `ingest.result_push`: batches are pushed to the
    API; nothing to configure but an optional description of the sender.

        Attributes:
            sender (None | str | Unset):
    """

    sender: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        sender: None | str | Unset
        if isinstance(self.sender, Unset):
            sender = UNSET
        else:
            sender = self.sender

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sender is not UNSET:
            field_dict["sender"] = sender

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_sender(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sender = _parse_sender(d.pop("sender", UNSET))

        pushed = cls(
            sender=sender,
        )

        return pushed
