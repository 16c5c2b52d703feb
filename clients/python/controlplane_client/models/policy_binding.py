from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_mode import PolicyMode

T = TypeVar("T", bound="PolicyBinding")


@_attrs_define
class PolicyBinding:
    """A policy applied to a source's results.

    Attributes:
        binding_id (str):
        created_at (datetime.datetime):
        created_by (str):
        mode (PolicyMode):
        org_id (str):
        policy_id (str): The policy's id: 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
        source_id (str):
    """

    binding_id: str
    created_at: datetime.datetime
    created_by: str
    mode: PolicyMode
    org_id: str
    policy_id: str
    source_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        binding_id = self.binding_id

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        mode = self.mode.value

        org_id = self.org_id

        policy_id = self.policy_id

        source_id = self.source_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "binding_id": binding_id,
                "created_at": created_at,
                "created_by": created_by,
                "mode": mode,
                "org_id": org_id,
                "policy_id": policy_id,
                "source_id": source_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        binding_id = d.pop("binding_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        mode = PolicyMode(d.pop("mode"))

        org_id = d.pop("org_id")

        policy_id = d.pop("policy_id")

        source_id = d.pop("source_id")

        policy_binding = cls(
            binding_id=binding_id,
            created_at=created_at,
            created_by=created_by,
            mode=mode,
            org_id=org_id,
            policy_id=policy_id,
            source_id=source_id,
        )

        policy_binding.additional_properties = d
        return policy_binding

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
