from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_pattern import CustomPattern
    from ..models.edit_data_policy_strategies import EditDataPolicyStrategies


T = TypeVar("T", bound="EditDataPolicy")


@_attrs_define
class EditDataPolicy:
    """An edit: the fields given replace the stored ones (`strategies` merges
    by kind; `custom_patterns` replaces the whole list).

        Attributes:
            custom_patterns (list[CustomPattern] | None | Unset):
            enabled (bool | None | Unset):
            strategies (EditDataPolicyStrategies | Unset): How each built-in kind is replaced (`mask` when not named).
    """

    custom_patterns: list[CustomPattern] | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    strategies: EditDataPolicyStrategies | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        custom_patterns: list[dict[str, Any]] | None | Unset
        if isinstance(self.custom_patterns, Unset):
            custom_patterns = UNSET
        elif isinstance(self.custom_patterns, list):
            custom_patterns = []
            for custom_patterns_type_0_item_data in self.custom_patterns:
                custom_patterns_type_0_item = custom_patterns_type_0_item_data.to_dict()
                custom_patterns.append(custom_patterns_type_0_item)

        else:
            custom_patterns = self.custom_patterns

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        strategies: dict[str, Any] | Unset = UNSET
        if not isinstance(self.strategies, Unset):
            strategies = self.strategies.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if custom_patterns is not UNSET:
            field_dict["custom_patterns"] = custom_patterns
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if strategies is not UNSET:
            field_dict["strategies"] = strategies

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_pattern import CustomPattern  # noqa: PLC0415
        from ..models.edit_data_policy_strategies import EditDataPolicyStrategies  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_custom_patterns(data: object) -> list[CustomPattern] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                custom_patterns_type_0 = []
                _custom_patterns_type_0 = data
                for custom_patterns_type_0_item_data in _custom_patterns_type_0:
                    custom_patterns_type_0_item = CustomPattern.from_dict(custom_patterns_type_0_item_data)

                    custom_patterns_type_0.append(custom_patterns_type_0_item)

                return custom_patterns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CustomPattern] | None | Unset, data)

        custom_patterns = _parse_custom_patterns(d.pop("custom_patterns", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        _strategies = d.pop("strategies", UNSET)
        strategies: EditDataPolicyStrategies | Unset
        if isinstance(_strategies, Unset):
            strategies = UNSET
        else:
            strategies = EditDataPolicyStrategies.from_dict(_strategies)

        edit_data_policy = cls(
            custom_patterns=custom_patterns,
            enabled=enabled,
            strategies=strategies,
        )

        return edit_data_policy
