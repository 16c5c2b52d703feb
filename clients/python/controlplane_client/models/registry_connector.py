from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RegistryConnector")


@_attrs_define
class RegistryConnector:
    """`connector.registry`: a container registry.

    Attributes:
        registry_url (str): `https://…` registry endpoint.
        repositories (list[str] | Unset): Repositories to list (default: all the credential can see).
    """

    registry_url: str
    repositories: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        registry_url = self.registry_url

        repositories: list[str] | Unset = UNSET
        if not isinstance(self.repositories, Unset):
            repositories = self.repositories

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "registry_url": registry_url,
            }
        )
        if repositories is not UNSET:
            field_dict["repositories"] = repositories

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        registry_url = d.pop("registry_url")

        repositories = cast(list[str], d.pop("repositories", UNSET))

        registry_connector = cls(
            registry_url=registry_url,
            repositories=repositories,
        )

        return registry_connector
