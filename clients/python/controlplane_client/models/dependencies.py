from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dependency_health import DependencyHealth


T = TypeVar("T", bound="Dependencies")


@_attrs_define
class Dependencies:
    """
    Attributes:
        store (DependencyHealth):
        queue (DependencyHealth | None | Unset):
        secrets (DependencyHealth | None | Unset):
    """

    store: DependencyHealth
    queue: DependencyHealth | None | Unset = UNSET
    secrets: DependencyHealth | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.dependency_health import DependencyHealth  # noqa: PLC0415

        store = self.store.to_dict()

        queue: dict[str, Any] | None | Unset
        if isinstance(self.queue, Unset):
            queue = UNSET
        elif isinstance(self.queue, DependencyHealth):
            queue = self.queue.to_dict()
        else:
            queue = self.queue

        secrets: dict[str, Any] | None | Unset
        if isinstance(self.secrets, Unset):
            secrets = UNSET
        elif isinstance(self.secrets, DependencyHealth):
            secrets = self.secrets.to_dict()
        else:
            secrets = self.secrets

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "store": store,
            }
        )
        if queue is not UNSET:
            field_dict["queue"] = queue
        if secrets is not UNSET:
            field_dict["secrets"] = secrets

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dependency_health import DependencyHealth  # noqa: PLC0415

        d = dict(src_dict)
        store = DependencyHealth.from_dict(d.pop("store"))

        def _parse_queue(data: object) -> DependencyHealth | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                queue_type_0 = DependencyHealth.from_dict(data)

                return queue_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DependencyHealth | None | Unset, data)

        queue = _parse_queue(d.pop("queue", UNSET))

        def _parse_secrets(data: object) -> DependencyHealth | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                secrets_type_0 = DependencyHealth.from_dict(data)

                return secrets_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DependencyHealth | None | Unset, data)

        secrets = _parse_secrets(d.pop("secrets", UNSET))

        dependencies = cls(
            store=store,
            queue=queue,
            secrets=secrets,
        )

        dependencies.additional_properties = d
        return dependencies

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
