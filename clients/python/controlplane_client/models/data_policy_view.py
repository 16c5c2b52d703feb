from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_pattern import CustomPattern
    from ..models.data_policy_view_strategies import DataPolicyViewStrategies


T = TypeVar("T", bound="DataPolicyView")


@_attrs_define
class DataPolicyView:
    """What the API shows: every kind's strategy, the org's patterns, and the
    version an edit's `If-Match` names.

        Attributes:
            custom_patterns (list[CustomPattern]):
            enabled (bool): Whether personal data is minimized. Credentials (JWTs, API keys, AWS
                access keys) are removed either way.
            strategies (DataPolicyViewStrategies): How each built-in kind is replaced (`mask` when not named).
            version (int): 0 until the policy is first stored.
            updated_at (datetime.datetime | None | Unset):
    """

    custom_patterns: list[CustomPattern]
    enabled: bool
    strategies: DataPolicyViewStrategies
    version: int
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_patterns = []
        for custom_patterns_item_data in self.custom_patterns:
            custom_patterns_item = custom_patterns_item_data.to_dict()
            custom_patterns.append(custom_patterns_item)

        enabled = self.enabled

        strategies = self.strategies.to_dict()

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
                "custom_patterns": custom_patterns,
                "enabled": enabled,
                "strategies": strategies,
                "version": version,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_pattern import CustomPattern  # noqa: PLC0415
        from ..models.data_policy_view_strategies import DataPolicyViewStrategies  # noqa: PLC0415

        d = dict(src_dict)
        custom_patterns = []
        _custom_patterns = d.pop("custom_patterns")
        for custom_patterns_item_data in _custom_patterns:
            custom_patterns_item = CustomPattern.from_dict(custom_patterns_item_data)

            custom_patterns.append(custom_patterns_item)

        enabled = d.pop("enabled")

        strategies = DataPolicyViewStrategies.from_dict(d.pop("strategies"))

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

        data_policy_view = cls(
            custom_patterns=custom_patterns,
            enabled=enabled,
            strategies=strategies,
            version=version,
            updated_at=updated_at,
        )

        data_policy_view.additional_properties = d
        return data_policy_view

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
