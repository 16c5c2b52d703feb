from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_pattern import EventPattern
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateWebhook")


@_attrs_define
class CreateWebhook:
    """
    Attributes:
        event_types (list[EventPattern]): Event types (`project.created`), prefixes (`project.*`) or `*`; 1 to 50.
        project_id (str):
        url (str): `https://…` (`http://` in local development only), with no credentials or fragment, at most 2048
            characters; the host must resolve to public addresses only.
        description (None | str | Unset): Up to 500 characters; newlines and tabs but no other control, bidirectional or
            invisible characters.
        enabled (bool | None | Unset): Default `true`.
    """

    event_types: list[EventPattern]
    project_id: str
    url: str
    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)

        project_id = self.project_id

        url = self.url

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_types": event_types,
                "project_id": project_id,
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in _event_types:
            event_types_item = EventPattern(event_types_item_data)

            event_types.append(event_types_item)

        project_id = d.pop("project_id")

        url = d.pop("url")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        create_webhook = cls(
            event_types=event_types,
            project_id=project_id,
            url=url,
            description=description,
            enabled=enabled,
        )

        return create_webhook
