from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApproveTool")


@_attrs_define
class ApproveTool:
    """
    Attributes:
        sha256 (None | str | Unset): The pending definition's `sha256` as reviewed: a definition that
            changed again since is 409 `definition_changed`, not approved.
    """

    sha256: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        approve_tool = cls(
            sha256=sha256,
        )

        return approve_tool
