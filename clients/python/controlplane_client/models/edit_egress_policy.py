from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.egress_mode import EgressMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="EditEgressPolicy")


@_attrs_define
class EditEgressPolicy:
    """An edit: the fields given replace the stored ones.

    Attributes:
        allow (list[str] | None | Unset):
        deny (list[str] | None | Unset):
        mode (EgressMode | None | Unset):
        regions (list[str] | None | Unset):  Example: ['eu'].
    """

    allow: list[str] | None | Unset = UNSET
    deny: list[str] | None | Unset = UNSET
    mode: EgressMode | None | Unset = UNSET
    regions: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        allow: list[str] | None | Unset
        if isinstance(self.allow, Unset):
            allow = UNSET
        elif isinstance(self.allow, list):
            allow = self.allow

        else:
            allow = self.allow

        deny: list[str] | None | Unset
        if isinstance(self.deny, Unset):
            deny = UNSET
        elif isinstance(self.deny, list):
            deny = self.deny

        else:
            deny = self.deny

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, EgressMode):
            mode = self.mode.value
        else:
            mode = self.mode

        regions: list[str] | None | Unset
        if isinstance(self.regions, Unset):
            regions = UNSET
        elif isinstance(self.regions, list):
            regions = self.regions

        else:
            regions = self.regions

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allow is not UNSET:
            field_dict["allow"] = allow
        if deny is not UNSET:
            field_dict["deny"] = deny
        if mode is not UNSET:
            field_dict["mode"] = mode
        if regions is not UNSET:
            field_dict["regions"] = regions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_allow(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allow_type_0 = cast(list[str], data)

                return allow_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allow = _parse_allow(d.pop("allow", UNSET))

        def _parse_deny(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                deny_type_0 = cast(list[str], data)

                return deny_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        deny = _parse_deny(d.pop("deny", UNSET))

        def _parse_mode(data: object) -> EgressMode | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_0 = EgressMode(data)

                return mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EgressMode | None | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))

        def _parse_regions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                regions_type_0 = cast(list[str], data)

                return regions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        regions = _parse_regions(d.pop("regions", UNSET))

        edit_egress_policy = cls(
            allow=allow,
            deny=deny,
            mode=mode,
            regions=regions,
        )

        return edit_egress_policy
