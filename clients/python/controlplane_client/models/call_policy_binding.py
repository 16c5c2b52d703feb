from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_policy_mode import CallPolicyMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.argument_rule_type_0 import ArgumentRuleType0
    from ..models.argument_rule_type_1 import ArgumentRuleType1


T = TypeVar("T", bound="CallPolicyBinding")


@_attrs_define
class CallPolicyBinding:
    """One policy bound to a registered server or one of its tools.

    Attributes:
        binding_id (str):
        created_at (datetime.datetime):
        created_by (str):
        mode (CallPolicyMode):
        policy_id (str): The policy's id: 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
        rules (list[ArgumentRuleType0 | ArgumentRuleType1] | Unset):
        tool (None | str | Unset): The tool it applies to, by its name at the server; absent: every tool.
    """

    binding_id: str
    created_at: datetime.datetime
    created_by: str
    mode: CallPolicyMode
    policy_id: str
    rules: list[ArgumentRuleType0 | ArgumentRuleType1] | Unset = UNSET
    tool: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.argument_rule_type_0 import ArgumentRuleType0  # noqa: PLC0415

        binding_id = self.binding_id

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        mode = self.mode.value

        policy_id = self.policy_id

        rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = []
            for rules_item_data in self.rules:
                rules_item: dict[str, Any]
                if isinstance(rules_item_data, ArgumentRuleType0):
                    rules_item = rules_item_data.to_dict()
                else:
                    rules_item = rules_item_data.to_dict()

                rules.append(rules_item)

        tool: None | str | Unset
        if isinstance(self.tool, Unset):
            tool = UNSET
        else:
            tool = self.tool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "binding_id": binding_id,
                "created_at": created_at,
                "created_by": created_by,
                "mode": mode,
                "policy_id": policy_id,
            }
        )
        if rules is not UNSET:
            field_dict["rules"] = rules
        if tool is not UNSET:
            field_dict["tool"] = tool

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.argument_rule_type_0 import ArgumentRuleType0  # noqa: PLC0415
        from ..models.argument_rule_type_1 import ArgumentRuleType1  # noqa: PLC0415

        d = dict(src_dict)
        binding_id = d.pop("binding_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        mode = CallPolicyMode(d.pop("mode"))

        policy_id = d.pop("policy_id")

        _rules = d.pop("rules", UNSET)
        rules: list[ArgumentRuleType0 | ArgumentRuleType1] | Unset = UNSET
        if _rules is not UNSET:
            rules = []
            for rules_item_data in _rules:

                def _parse_rules_item(data: object) -> ArgumentRuleType0 | ArgumentRuleType1:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_argument_rule_type_0 = ArgumentRuleType0.from_dict(data)

                        return componentsschemas_argument_rule_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_argument_rule_type_1 = ArgumentRuleType1.from_dict(data)

                    return componentsschemas_argument_rule_type_1

                rules_item = _parse_rules_item(rules_item_data)

                rules.append(rules_item)

        def _parse_tool(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tool = _parse_tool(d.pop("tool", UNSET))

        call_policy_binding = cls(
            binding_id=binding_id,
            created_at=created_at,
            created_by=created_by,
            mode=mode,
            policy_id=policy_id,
            rules=rules,
            tool=tool,
        )

        call_policy_binding.additional_properties = d
        return call_policy_binding

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
