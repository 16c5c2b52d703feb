from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.policy_mode import PolicyMode

T = TypeVar("T", bound="CreateBinding")


@_attrs_define
class CreateBinding:
    """
    Attributes:
        mode (PolicyMode):
        policy_id (str): 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
    """

    mode: PolicyMode
    policy_id: str

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        policy_id = self.policy_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
                "policy_id": policy_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = PolicyMode(d.pop("mode"))

        policy_id = d.pop("policy_id")

        create_binding = cls(
            mode=mode,
            policy_id=policy_id,
        )

        return create_binding
