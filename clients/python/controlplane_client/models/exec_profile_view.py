from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.profile_origin import ProfileOrigin
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exec_spec import ExecSpec


T = TypeVar("T", bound="ExecProfileView")


@_attrs_define
class ExecProfileView:
    """What the API shows.

    Attributes:
        digest (str):  Example: sha256:9f2c….
        origin (ProfileOrigin): Where a profile came from.
        spec (ExecSpec): A profile as written: what the target may do.
        target (str):  Example: source:scan.repo.
        version (int): 0 for a shipped profile; the version an edit's `If-Match` names.
        updated_at (datetime.datetime | None | Unset):
    """

    digest: str
    origin: ProfileOrigin
    spec: ExecSpec
    target: str
    version: int
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        origin = self.origin.value

        spec = self.spec.to_dict()

        target = self.target

        version = self.version

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "origin": origin,
                "spec": spec,
                "target": target,
                "version": version,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exec_spec import ExecSpec  # noqa: PLC0415

        d = dict(src_dict)
        digest = d.pop("digest")

        origin = ProfileOrigin(d.pop("origin"))

        spec = ExecSpec.from_dict(d.pop("spec"))

        target = d.pop("target")

        version = d.pop("version")

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        exec_profile_view = cls(
            digest=digest,
            origin=origin,
            spec=spec,
            target=target,
            version=version,
            updated_at=updated_at,
        )

        exec_profile_view.additional_properties = d
        return exec_profile_view

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
