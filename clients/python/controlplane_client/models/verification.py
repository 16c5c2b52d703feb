from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.break_ import Break


T = TypeVar("T", bound="Verification")


@_attrs_define
class Verification:
    """The outcome of verifying a range.

    Attributes:
        anchored_gaps (int): Gaps left by expired days, each vouched for by the next day's anchor.
        checked (int): Events checked by this call.
        head_seq (int): The chain's length when the check began.
        ok (bool): True when every event checked holds and links.
        break_ (Break | None | Unset):
        first_seq (int | None | Unset):
        last_seq (int | None | Unset):
        next_cursor (None | str | Unset): Set when the range holds more than this call checked: pass it as
            `cursor` to go on.
    """

    anchored_gaps: int
    checked: int
    head_seq: int
    ok: bool
    break_: Break | None | Unset = UNSET
    first_seq: int | None | Unset = UNSET
    last_seq: int | None | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.break_ import Break  # noqa: PLC0415

        anchored_gaps = self.anchored_gaps

        checked = self.checked

        head_seq = self.head_seq

        ok = self.ok

        break_: dict[str, Any] | None | Unset
        if isinstance(self.break_, Unset):
            break_ = UNSET
        elif isinstance(self.break_, Break):
            break_ = self.break_.to_dict()
        else:
            break_ = self.break_

        first_seq: int | None | Unset
        if isinstance(self.first_seq, Unset):
            first_seq = UNSET
        else:
            first_seq = self.first_seq

        last_seq: int | None | Unset
        if isinstance(self.last_seq, Unset):
            last_seq = UNSET
        else:
            last_seq = self.last_seq

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "anchored_gaps": anchored_gaps,
                "checked": checked,
                "head_seq": head_seq,
                "ok": ok,
            }
        )
        if break_ is not UNSET:
            field_dict["break"] = break_
        if first_seq is not UNSET:
            field_dict["first_seq"] = first_seq
        if last_seq is not UNSET:
            field_dict["last_seq"] = last_seq
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.break_ import Break  # noqa: PLC0415

        d = dict(src_dict)
        anchored_gaps = d.pop("anchored_gaps")

        checked = d.pop("checked")

        head_seq = d.pop("head_seq")

        ok = d.pop("ok")

        def _parse_break_(data: object) -> Break | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                break_type_0 = Break.from_dict(data)

                return break_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Break | None | Unset, data)

        break_ = _parse_break_(d.pop("break", UNSET))

        def _parse_first_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        first_seq = _parse_first_seq(d.pop("first_seq", UNSET))

        def _parse_last_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_seq = _parse_last_seq(d.pop("last_seq", UNSET))

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        verification = cls(
            anchored_gaps=anchored_gaps,
            checked=checked,
            head_seq=head_seq,
            ok=ok,
            break_=break_,
            first_seq=first_seq,
            last_seq=last_seq,
            next_cursor=next_cursor,
        )

        verification.additional_properties = d
        return verification

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
