from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.domain_event_data import DomainEventData
    from ..models.target import Target


T = TypeVar("T", bound="DomainEvent")


@_attrs_define
class DomainEvent:
    """What the bus and the webhooks receive.

    Attributes:
        actor (Actor):
        data (DomainEventData):
        id (str):
        occurred_at (datetime.datetime):
        target (Target):
        type_ (str): A catalogue type, e.g. `project.created`.
        org_id (None | str | Unset):
        project_id (None | str | Unset):
    """

    actor: Actor
    data: DomainEventData
    id: str
    occurred_at: datetime.datetime
    target: Target
    type_: str
    org_id: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor.to_dict()

        data = self.data.to_dict()

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        target = self.target.to_dict()

        type_ = self.type_

        org_id: None | str | Unset
        if isinstance(self.org_id, Unset):
            org_id = UNSET
        else:
            org_id = self.org_id

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "data": data,
                "id": id,
                "occurred_at": occurred_at,
                "target": target,
                "type": type_,
            }
        )
        if org_id is not UNSET:
            field_dict["org_id"] = org_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor  # noqa: PLC0415
        from ..models.domain_event_data import DomainEventData  # noqa: PLC0415
        from ..models.target import Target  # noqa: PLC0415

        d = dict(src_dict)
        actor = Actor.from_dict(d.pop("actor"))

        data = DomainEventData.from_dict(d.pop("data"))

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        target = Target.from_dict(d.pop("target"))

        type_ = d.pop("type")

        def _parse_org_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        org_id = _parse_org_id(d.pop("org_id", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        domain_event = cls(
            actor=actor,
            data=data,
            id=id,
            occurred_at=occurred_at,
            target=target,
            type_=type_,
            org_id=org_id,
            project_id=project_id,
        )

        domain_event.additional_properties = d
        return domain_event

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
