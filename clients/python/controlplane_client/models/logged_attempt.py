from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoggedAttempt")


@_attrs_define
class LoggedAttempt:
    """One attempt, as the log shows it.

    Attributes:
        at (datetime.datetime):
        attempt (int): 1 for the first attempt.
        latency_ms (int):
        response_excerpt (str): The response body's first 1 KiB.
        error (None | str | Unset): Why no response came back (timeout, refused, TLS, address refused).
        response_status (int | None | Unset): The response status, when one came back.
    """

    at: datetime.datetime
    attempt: int
    latency_ms: int
    response_excerpt: str
    error: None | str | Unset = UNSET
    response_status: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        attempt = self.attempt

        latency_ms = self.latency_ms

        response_excerpt = self.response_excerpt

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        response_status: int | None | Unset
        if isinstance(self.response_status, Unset):
            response_status = UNSET
        else:
            response_status = self.response_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "attempt": attempt,
                "latency_ms": latency_ms,
                "response_excerpt": response_excerpt,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if response_status is not UNSET:
            field_dict["response_status"] = response_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        attempt = d.pop("attempt")

        latency_ms = d.pop("latency_ms")

        response_excerpt = d.pop("response_excerpt")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_response_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_status = _parse_response_status(d.pop("response_status", UNSET))

        logged_attempt = cls(
            at=at,
            attempt=attempt,
            latency_ms=latency_ms,
            response_excerpt=response_excerpt,
            error=error,
            response_status=response_status,
        )

        logged_attempt.additional_properties = d
        return logged_attempt

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
