from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.egress_mode import EgressMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="EgressPolicyView")


@_attrs_define
class EgressPolicyView:
    """What the API shows: the policy and the version an edit's `If-Match` names.

    Attributes:
        allow (list[str]): Hosts calls may go to.
        deny (list[str]): Hosts calls may never go to (beats `allow`).
        known_regions (list[str]): The regions this deployment's range table knows; empty: it has
            none, and `regions` cannot be set.
        mode (EgressMode):
        regions (list[str]): Regions (of the deployment's range table) the address called must
            lie in; empty: any. Example: ['eu'].
        version (int): 0 until the policy is first stored.
        updated_at (datetime.datetime | None | Unset):
    """

    allow: list[str]
    deny: list[str]
    known_regions: list[str]
    mode: EgressMode
    regions: list[str]
    version: int
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allow = self.allow

        deny = self.deny

        known_regions = self.known_regions

        mode = self.mode.value

        regions = self.regions

        version = self.version

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allow": allow,
                "deny": deny,
                "known_regions": known_regions,
                "mode": mode,
                "regions": regions,
                "version": version,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allow = cast(list[str], d.pop("allow"))

        deny = cast(list[str], d.pop("deny"))

        known_regions = cast(list[str], d.pop("known_regions"))

        mode = EgressMode(d.pop("mode"))

        regions = cast(list[str], d.pop("regions"))

        version = d.pop("version")

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        egress_policy_view = cls(
            allow=allow,
            deny=deny,
            known_regions=known_regions,
            mode=mode,
            regions=regions,
            version=version,
            updated_at=updated_at,
        )

        egress_policy_view.additional_properties = d
        return egress_policy_view

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
