from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.argument_rule_type_0_type import ArgumentRuleType0Type
from ..types import UNSET, Unset

T = TypeVar("T", bound="ArgumentRuleType0")


@_attrs_define
class ArgumentRuleType0:
    """Catches a call when a string anywhere in the named arguments (every
    argument when none is named) matches `pattern` (a `regex` crate
    pattern; `(?i)` for case-insensitive).

        Attributes:
            pattern (str):
            type_ (ArgumentRuleType0Type):
            arguments (list[str] | Unset):
    """

    pattern: str
    type_: ArgumentRuleType0Type
    arguments: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        pattern = self.pattern

        type_ = self.type_.value

        arguments: list[str] | Unset = UNSET
        if not isinstance(self.arguments, Unset):
            arguments = self.arguments

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pattern": pattern,
                "type": type_,
            }
        )
        if arguments is not UNSET:
            field_dict["arguments"] = arguments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pattern = d.pop("pattern")

        type_ = ArgumentRuleType0Type(d.pop("type"))

        arguments = cast(list[str], d.pop("arguments", UNSET))

        argument_rule_type_0 = cls(
            pattern=pattern,
            type_=type_,
            arguments=arguments,
        )

        return argument_rule_type_0
