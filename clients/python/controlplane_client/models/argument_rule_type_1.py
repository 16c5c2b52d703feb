from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.argument_rule_type_1_type import ArgumentRuleType1Type

T = TypeVar("T", bound="ArgumentRuleType1")


@_attrs_define
class ArgumentRuleType1:
    """Catches a call when a named argument is not a path inside one of
    `allow` (after `.` and `..` are resolved; a string or a list of
    strings; a backslash or NUL is never inside).

        Attributes:
            allow (list[str]):
            arguments (list[str]):
            type_ (ArgumentRuleType1Type):
    """

    allow: list[str]
    arguments: list[str]
    type_: ArgumentRuleType1Type

    def to_dict(self) -> dict[str, Any]:
        allow = self.allow

        arguments = self.arguments

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "allow": allow,
                "arguments": arguments,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allow = cast(list[str], d.pop("allow"))

        arguments = cast(list[str], d.pop("arguments"))

        type_ = ArgumentRuleType1Type(d.pop("type"))

        argument_rule_type_1 = cls(
            allow=allow,
            arguments=arguments,
            type_=type_,
        )

        return argument_rule_type_1
