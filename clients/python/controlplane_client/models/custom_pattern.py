from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.strategy import Strategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomPattern")


@_attrs_define
class CustomPattern:
    """One of the org's own patterns, as stored and as the API shows it.

    Attributes:
        name (str): Lowercase letters, digits and `_`, starting with a letter; not a
            built-in kind's name. Replacements show it: `[redacted:employee_id]`. Example: employee_id.
        pattern (str): A regular expression (Rust `regex` syntax: no look-around or
            backreferences, matched in linear time), at most 200 characters.
            It must not match empty text. Example: EMP-[0-9]{6}.
        strategy (Strategy | Unset): What replaces a finding.
    """

    name: str
    pattern: str
    strategy: Strategy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        pattern = self.pattern

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "pattern": pattern,
            }
        )
        if strategy is not UNSET:
            field_dict["strategy"] = strategy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        pattern = d.pop("pattern")

        _strategy = d.pop("strategy", UNSET)
        strategy: Strategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = Strategy(_strategy)

        custom_pattern = cls(
            name=name,
            pattern=pattern,
            strategy=strategy,
        )

        return custom_pattern
