from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Exchange")


@_attrs_define
class Exchange:
    """
    Example:
        {'grant_type': 'refresh_token', 'refresh_token': 'eyJhbGciOiJIUzI1NiJ9.…'}

    Attributes:
        grant_type (str): Only `refresh_token`.
        refresh_token (str):
    """

    grant_type: str
    refresh_token: str

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type

        refresh_token = self.refresh_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grant_type": grant_type,
                "refresh_token": refresh_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grant_type = d.pop("grant_type")

        refresh_token = d.pop("refresh_token")

        exchange = cls(
            grant_type=grant_type,
            refresh_token=refresh_token,
        )

        return exchange
