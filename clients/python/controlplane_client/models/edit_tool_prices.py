from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.edit_tool_prices_prices import EditToolPricesPrices


T = TypeVar("T", bound="EditToolPrices")


@_attrs_define
class EditToolPrices:
    """A new table: it replaces the stored one whole.

    Attributes:
        prices (EditToolPricesPrices): US dollars per call (0 to 100), by tool name (1 to 200 characters)
            or `slug.*`; at most 200 entries. Example: {'github.*': 0.002, 'search': 0.01}.
    """

    prices: EditToolPricesPrices

    def to_dict(self) -> dict[str, Any]:
        prices = self.prices.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prices": prices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.edit_tool_prices_prices import EditToolPricesPrices  # noqa: PLC0415

        d = dict(src_dict)
        prices = EditToolPricesPrices.from_dict(d.pop("prices"))

        edit_tool_prices = cls(
            prices=prices,
        )

        return edit_tool_prices
