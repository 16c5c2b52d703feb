from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_price import ModelPrice


T = TypeVar("T", bound="PriceTable")


@_attrs_define
class PriceTable:
    """
    Attributes:
        models (list[ModelPrice]):
        tool_call_fee_usd (float): The MCP gateway's fee per tool call, in US dollars; a step's own
            `unit_price_usd` adds to it.
    """

    models: list[ModelPrice]
    tool_call_fee_usd: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        tool_call_fee_usd = self.tool_call_fee_usd

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "models": models,
                "tool_call_fee_usd": tool_call_fee_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_price import ModelPrice  # noqa: PLC0415

        d = dict(src_dict)
        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ModelPrice.from_dict(models_item_data)

            models.append(models_item)

        tool_call_fee_usd = d.pop("tool_call_fee_usd")

        price_table = cls(
            models=models,
            tool_call_fee_usd=tool_call_fee_usd,
        )

        price_table.additional_properties = d
        return price_table

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
