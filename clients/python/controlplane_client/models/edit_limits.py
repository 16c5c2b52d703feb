from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.class_limit import ClassLimit


T = TypeVar("T", bound="EditLimits")


@_attrs_define
class EditLimits:
    """The limits to set: each field given replaces that limit, `null` returns
    it to the plan's default; fields left out keep theirs.

        Attributes:
            org (ClassLimit | None | Unset):
            read (ClassLimit | None | Unset):
            write (ClassLimit | None | Unset):
    """

    org: ClassLimit | None | Unset = UNSET
    read: ClassLimit | None | Unset = UNSET
    write: ClassLimit | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.class_limit import ClassLimit  # noqa: PLC0415

        org: dict[str, Any] | None | Unset
        if isinstance(self.org, Unset):
            org = UNSET
        elif isinstance(self.org, ClassLimit):
            org = self.org.to_dict()
        else:
            org = self.org

        read: dict[str, Any] | None | Unset
        if isinstance(self.read, Unset):
            read = UNSET
        elif isinstance(self.read, ClassLimit):
            read = self.read.to_dict()
        else:
            read = self.read

        write: dict[str, Any] | None | Unset
        if isinstance(self.write, Unset):
            write = UNSET
        elif isinstance(self.write, ClassLimit):
            write = self.write.to_dict()
        else:
            write = self.write

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if org is not UNSET:
            field_dict["org"] = org
        if read is not UNSET:
            field_dict["read"] = read
        if write is not UNSET:
            field_dict["write"] = write

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.class_limit import ClassLimit  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_org(data: object) -> ClassLimit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                org_type_0 = ClassLimit.from_dict(data)

                return org_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassLimit | None | Unset, data)

        org = _parse_org(d.pop("org", UNSET))

        def _parse_read(data: object) -> ClassLimit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                read_type_0 = ClassLimit.from_dict(data)

                return read_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassLimit | None | Unset, data)

        read = _parse_read(d.pop("read", UNSET))

        def _parse_write(data: object) -> ClassLimit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                write_type_0 = ClassLimit.from_dict(data)

                return write_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassLimit | None | Unset, data)

        write = _parse_write(d.pop("write", UNSET))

        edit_limits = cls(
            org=org,
            read=read,
            write=write,
        )

        return edit_limits
