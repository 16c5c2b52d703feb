from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessToken")


@_attrs_define
class AccessToken:
    """
    Attributes:
        expires_in (int):
        token_type (str): Always `Bearer`.
        access_token (str | Unset): Absent from an `Idempotency-Key` replay (see `secret_withheld`).
        secret_withheld (None | str | Unset): Only in a replay of an `Idempotency-Key` request, which leaves the
            secret out (it is never kept): says so.
    """

    expires_in: int
    token_type: str
    access_token: str | Unset = UNSET
    secret_withheld: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_in = self.expires_in

        token_type = self.token_type

        access_token = self.access_token

        secret_withheld: None | str | Unset
        if isinstance(self.secret_withheld, Unset):
            secret_withheld = UNSET
        else:
            secret_withheld = self.secret_withheld

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_in": expires_in,
                "token_type": token_type,
            }
        )
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if secret_withheld is not UNSET:
            field_dict["secret_withheld"] = secret_withheld

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_in = d.pop("expires_in")

        token_type = d.pop("token_type")

        access_token = d.pop("access_token", UNSET)

        def _parse_secret_withheld(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret_withheld = _parse_secret_withheld(d.pop("secret_withheld", UNSET))

        access_token = cls(
            expires_in=expires_in,
            token_type=token_type,
            access_token=access_token,
            secret_withheld=secret_withheld,
        )

        access_token.additional_properties = d
        return access_token

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
