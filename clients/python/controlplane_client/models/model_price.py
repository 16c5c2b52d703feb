from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelPrice")


@_attrs_define
class ModelPrice:
    """One model of the price table.

    Attributes:
        input_per_million_usd (float): US dollars per million prompt tokens.
        model (Model): The models the price table knows.
        output_per_million_usd (float): US dollars per million response tokens.
        tokenizer (str): `o200k_base` or `cl100k_base` (counted), or `approximated`: the
            `o200k_base` count times `token_factor`.
        token_factor (float | None | Unset):
    """

    input_per_million_usd: float
    model: Model
    output_per_million_usd: float
    tokenizer: str
    token_factor: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_per_million_usd = self.input_per_million_usd

        model = self.model.value

        output_per_million_usd = self.output_per_million_usd

        tokenizer = self.tokenizer

        token_factor: float | None | Unset
        if isinstance(self.token_factor, Unset):
            token_factor = UNSET
        else:
            token_factor = self.token_factor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input_per_million_usd": input_per_million_usd,
                "model": model,
                "output_per_million_usd": output_per_million_usd,
                "tokenizer": tokenizer,
            }
        )
        if token_factor is not UNSET:
            field_dict["token_factor"] = token_factor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_per_million_usd = d.pop("input_per_million_usd")

        model = Model(d.pop("model"))

        output_per_million_usd = d.pop("output_per_million_usd")

        tokenizer = d.pop("tokenizer")

        def _parse_token_factor(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        token_factor = _parse_token_factor(d.pop("token_factor", UNSET))

        model_price = cls(
            input_per_million_usd=input_per_million_usd,
            model=model,
            output_per_million_usd=output_per_million_usd,
            tokenizer=tokenizer,
            token_factor=token_factor,
        )

        model_price.additional_properties = d
        return model_price

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
