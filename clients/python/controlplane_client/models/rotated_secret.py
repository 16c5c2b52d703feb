from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotatedSecret")


@_attrs_define
class RotatedSecret:
    """
    Example:
        {'previous_secret_valid_until': '2026-12-05T12:00:00Z', 'secret': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'}

    Attributes:
        previous_secret_valid_until (datetime.datetime): Until then deliveries carry signatures with both secrets.
        secret (str | Unset): The new `whsec_…` secret; not shown again. Absent from an
            `Idempotency-Key` replay (see `secret_withheld`).
        secret_withheld (None | str | Unset): Only in a replay of an `Idempotency-Key` request, which leaves the
            secret out (it is never kept): says so.
    """

    previous_secret_valid_until: datetime.datetime
    secret: str | Unset = UNSET
    secret_withheld: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        previous_secret_valid_until = self.previous_secret_valid_until.isoformat()

        secret = self.secret

        secret_withheld: None | str | Unset
        if isinstance(self.secret_withheld, Unset):
            secret_withheld = UNSET
        else:
            secret_withheld = self.secret_withheld

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "previous_secret_valid_until": previous_secret_valid_until,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret
        if secret_withheld is not UNSET:
            field_dict["secret_withheld"] = secret_withheld

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        previous_secret_valid_until = datetime.datetime.fromisoformat(d.pop("previous_secret_valid_until"))

        secret = d.pop("secret", UNSET)

        def _parse_secret_withheld(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret_withheld = _parse_secret_withheld(d.pop("secret_withheld", UNSET))

        rotated_secret = cls(
            previous_secret_valid_until=previous_secret_valid_until,
            secret=secret,
            secret_withheld=secret_withheld,
        )

        rotated_secret.additional_properties = d
        return rotated_secret

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
