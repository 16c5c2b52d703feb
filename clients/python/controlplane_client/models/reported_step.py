from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportedStep")


@_attrs_define
class ReportedStep:
    """What one step really took, as reported.

    Attributes:
        calls (int | None | Unset): Calls made (the planned number by default).
        prompt_tokens (int | None | Unset): A model step's prompt tokens per call.
        response_tokens (int | None | Unset): A model step's response tokens per call.
    """

    calls: int | None | Unset = UNSET
    prompt_tokens: int | None | Unset = UNSET
    response_tokens: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        calls: int | None | Unset
        if isinstance(self.calls, Unset):
            calls = UNSET
        else:
            calls = self.calls

        prompt_tokens: int | None | Unset
        if isinstance(self.prompt_tokens, Unset):
            prompt_tokens = UNSET
        else:
            prompt_tokens = self.prompt_tokens

        response_tokens: int | None | Unset
        if isinstance(self.response_tokens, Unset):
            response_tokens = UNSET
        else:
            response_tokens = self.response_tokens

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if calls is not UNSET:
            field_dict["calls"] = calls
        if prompt_tokens is not UNSET:
            field_dict["prompt_tokens"] = prompt_tokens
        if response_tokens is not UNSET:
            field_dict["response_tokens"] = response_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_calls(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        calls = _parse_calls(d.pop("calls", UNSET))

        def _parse_prompt_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        prompt_tokens = _parse_prompt_tokens(d.pop("prompt_tokens", UNSET))

        def _parse_response_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_tokens = _parse_response_tokens(d.pop("response_tokens", UNSET))

        reported_step = cls(
            calls=calls,
            prompt_tokens=prompt_tokens,
            response_tokens=response_tokens,
        )

        return reported_step
