from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="CloudAccount")


@_attrs_define
class CloudAccount:
    """`scan.cloud` and `connector.cloud_read_only`: an AWS account, read
    through a role the credential names.

        Attributes:
            account_id (str): 12 digits.
            regions (list[str]): e.g. `["us-east-1", "eu-west-1"]`; 1 to 50.
    """

    account_id: str
    regions: list[str]

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        regions = self.regions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
                "regions": regions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = d.pop("account_id")

        regions = cast(list[str], d.pop("regions"))

        cloud_account = cls(
            account_id=account_id,
            regions=regions,
        )

        return cloud_account
