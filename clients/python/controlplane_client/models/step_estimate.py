from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..models.price_source import PriceSource
from ..models.step_kind import StepKind
from ..models.token_source import TokenSource
from ..types import UNSET, Unset

T = TypeVar("T", bound="StepEstimate")


@_attrs_define
class StepEstimate:
    """A step as estimated.

    Attributes:
        calls (int): Calls made: the model step's `repeat`, the tool step's `calls`.
        cost_usd (float):
        high_usd (float):
        list_cost_usd (float): The cost at list prices, before calibration.
        low_usd (float): The interval at `confidence`.
        multiplier (float): The calibration multiplier applied (1 for tools, and for a model
            without recorded runs).
        type_ (StepKind):
        model (Model | None | Unset):
        price_source (None | PriceSource | Unset):
        prompt_source (None | TokenSource | Unset):
        prompt_tokens (int | None | Unset): Per call.
        response_source (None | TokenSource | Unset):
        response_tokens (int | None | Unset): Per call.
        tool (None | str | Unset):
        unit_price_usd (float | None | Unset): A tool step's price per call beyond the gateway's fee.
    """

    calls: int
    cost_usd: float
    high_usd: float
    list_cost_usd: float
    low_usd: float
    multiplier: float
    type_: StepKind
    model: Model | None | Unset = UNSET
    price_source: None | PriceSource | Unset = UNSET
    prompt_source: None | TokenSource | Unset = UNSET
    prompt_tokens: int | None | Unset = UNSET
    response_source: None | TokenSource | Unset = UNSET
    response_tokens: int | None | Unset = UNSET
    tool: None | str | Unset = UNSET
    unit_price_usd: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calls = self.calls

        cost_usd = self.cost_usd

        high_usd = self.high_usd

        list_cost_usd = self.list_cost_usd

        low_usd = self.low_usd

        multiplier = self.multiplier

        type_ = self.type_.value

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, Model):
            model = self.model.value
        else:
            model = self.model

        price_source: None | str | Unset
        if isinstance(self.price_source, Unset):
            price_source = UNSET
        elif isinstance(self.price_source, PriceSource):
            price_source = self.price_source.value
        else:
            price_source = self.price_source

        prompt_source: None | str | Unset
        if isinstance(self.prompt_source, Unset):
            prompt_source = UNSET
        elif isinstance(self.prompt_source, TokenSource):
            prompt_source = self.prompt_source.value
        else:
            prompt_source = self.prompt_source

        prompt_tokens: int | None | Unset
        if isinstance(self.prompt_tokens, Unset):
            prompt_tokens = UNSET
        else:
            prompt_tokens = self.prompt_tokens

        response_source: None | str | Unset
        if isinstance(self.response_source, Unset):
            response_source = UNSET
        elif isinstance(self.response_source, TokenSource):
            response_source = self.response_source.value
        else:
            response_source = self.response_source

        response_tokens: int | None | Unset
        if isinstance(self.response_tokens, Unset):
            response_tokens = UNSET
        else:
            response_tokens = self.response_tokens

        tool: None | str | Unset
        if isinstance(self.tool, Unset):
            tool = UNSET
        else:
            tool = self.tool

        unit_price_usd: float | None | Unset
        if isinstance(self.unit_price_usd, Unset):
            unit_price_usd = UNSET
        else:
            unit_price_usd = self.unit_price_usd

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calls": calls,
                "cost_usd": cost_usd,
                "high_usd": high_usd,
                "list_cost_usd": list_cost_usd,
                "low_usd": low_usd,
                "multiplier": multiplier,
                "type": type_,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if price_source is not UNSET:
            field_dict["price_source"] = price_source
        if prompt_source is not UNSET:
            field_dict["prompt_source"] = prompt_source
        if prompt_tokens is not UNSET:
            field_dict["prompt_tokens"] = prompt_tokens
        if response_source is not UNSET:
            field_dict["response_source"] = response_source
        if response_tokens is not UNSET:
            field_dict["response_tokens"] = response_tokens
        if tool is not UNSET:
            field_dict["tool"] = tool
        if unit_price_usd is not UNSET:
            field_dict["unit_price_usd"] = unit_price_usd

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        calls = d.pop("calls")

        cost_usd = d.pop("cost_usd")

        high_usd = d.pop("high_usd")

        list_cost_usd = d.pop("list_cost_usd")

        low_usd = d.pop("low_usd")

        multiplier = d.pop("multiplier")

        type_ = StepKind(d.pop("type"))

        def _parse_model(data: object) -> Model | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_type_0 = Model(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Model | None | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_price_source(data: object) -> None | PriceSource | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                price_source_type_0 = PriceSource(data)

                return price_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PriceSource | Unset, data)

        price_source = _parse_price_source(d.pop("price_source", UNSET))

        def _parse_prompt_source(data: object) -> None | TokenSource | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prompt_source_type_0 = TokenSource(data)

                return prompt_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenSource | Unset, data)

        prompt_source = _parse_prompt_source(d.pop("prompt_source", UNSET))

        def _parse_prompt_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        prompt_tokens = _parse_prompt_tokens(d.pop("prompt_tokens", UNSET))

        def _parse_response_source(data: object) -> None | TokenSource | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                response_source_type_0 = TokenSource(data)

                return response_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenSource | Unset, data)

        response_source = _parse_response_source(d.pop("response_source", UNSET))

        def _parse_response_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_tokens = _parse_response_tokens(d.pop("response_tokens", UNSET))

        def _parse_tool(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tool = _parse_tool(d.pop("tool", UNSET))

        def _parse_unit_price_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        unit_price_usd = _parse_unit_price_usd(d.pop("unit_price_usd", UNSET))

        step_estimate = cls(
            calls=calls,
            cost_usd=cost_usd,
            high_usd=high_usd,
            list_cost_usd=list_cost_usd,
            low_usd=low_usd,
            multiplier=multiplier,
            type_=type_,
            model=model,
            price_source=price_source,
            prompt_source=prompt_source,
            prompt_tokens=prompt_tokens,
            response_source=response_source,
            response_tokens=response_tokens,
            tool=tool,
            unit_price_usd=unit_price_usd,
        )

        step_estimate.additional_properties = d
        return step_estimate

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
