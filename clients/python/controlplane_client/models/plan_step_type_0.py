from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.model import Model
from ..models.plan_step_type_0_type import PlanStepType0Type
from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanStepType0")


@_attrs_define
class PlanStepType0:
    """A model call: the prompt and the expected response, each as text (counted
    here) or as a token count.

        Attributes:
            model (Model): The models the price table knows.
            type_ (PlanStepType0Type):
            prompt (None | str | Unset): The prompt's text; or give `prompt_tokens`.
            prompt_tokens (int | None | Unset):
            repeat (int | None | Unset): How many times the call is made (1 by default).
            response (None | str | Unset): A response like the one expected; or give `response_tokens`.
            response_tokens (int | None | Unset):
    """

    model: Model
    type_: PlanStepType0Type
    prompt: None | str | Unset = UNSET
    prompt_tokens: int | None | Unset = UNSET
    repeat: int | None | Unset = UNSET
    response: None | str | Unset = UNSET
    response_tokens: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

        type_ = self.type_.value

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        prompt_tokens: int | None | Unset
        if isinstance(self.prompt_tokens, Unset):
            prompt_tokens = UNSET
        else:
            prompt_tokens = self.prompt_tokens

        repeat: int | None | Unset
        if isinstance(self.repeat, Unset):
            repeat = UNSET
        else:
            repeat = self.repeat

        response: None | str | Unset
        if isinstance(self.response, Unset):
            response = UNSET
        else:
            response = self.response

        response_tokens: int | None | Unset
        if isinstance(self.response_tokens, Unset):
            response_tokens = UNSET
        else:
            response_tokens = self.response_tokens

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "type": type_,
            }
        )
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if prompt_tokens is not UNSET:
            field_dict["prompt_tokens"] = prompt_tokens
        if repeat is not UNSET:
            field_dict["repeat"] = repeat
        if response is not UNSET:
            field_dict["response"] = response
        if response_tokens is not UNSET:
            field_dict["response_tokens"] = response_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = Model(d.pop("model"))

        type_ = PlanStepType0Type(d.pop("type"))

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_prompt_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        prompt_tokens = _parse_prompt_tokens(d.pop("prompt_tokens", UNSET))

        def _parse_repeat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        repeat = _parse_repeat(d.pop("repeat", UNSET))

        def _parse_response(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response = _parse_response(d.pop("response", UNSET))

        def _parse_response_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_tokens = _parse_response_tokens(d.pop("response_tokens", UNSET))

        plan_step_type_0 = cls(
            model=model,
            type_=type_,
            prompt=prompt,
            prompt_tokens=prompt_tokens,
            repeat=repeat,
            response=response,
            response_tokens=response_tokens,
        )

        return plan_step_type_0
