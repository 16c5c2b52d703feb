from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.audit_event_metadata import AuditEventMetadata
    from ..models.target import Target


T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """
    Attributes:
        action (str): `resource.verb`, e.g. `project.created`. Example: project.created.
        actor (Actor):
        created_at (datetime.datetime):
        id (str):
        metadata (AuditEventMetadata): What changed (`changes.<field>.from/to`) or a summary; never secrets.
            Personal data in it is minimized by the org's data policy
            (`/v1/orgs/{org_id}/data-policy`).
        org_id (str):
        request_id (str):
        target (Target):
        hash_ (str | Unset): SHA-256 (hex) over this event's columns and `prev_hash`; see docs/api.md.
        ip (None | str | Unset):
        prev_hash (str | Unset): `hash` of the event before (64 zeros for the first).
        project_id (None | str | Unset):
        seq (int | Unset): The event's place in the org's chain: 1, 2, 3… with no gaps.
        user_agent (None | str | Unset):
    """

    action: str
    actor: Actor
    created_at: datetime.datetime
    id: str
    metadata: AuditEventMetadata
    org_id: str
    request_id: str
    target: Target
    hash_: str | Unset = UNSET
    ip: None | str | Unset = UNSET
    prev_hash: str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    seq: int | Unset = UNSET
    user_agent: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor.to_dict()

        created_at = self.created_at.isoformat()

        id = self.id

        metadata = self.metadata.to_dict()

        org_id = self.org_id

        request_id = self.request_id

        target = self.target.to_dict()

        hash_ = self.hash_

        ip: None | str | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        else:
            ip = self.ip

        prev_hash = self.prev_hash

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        seq = self.seq

        user_agent: None | str | Unset
        if isinstance(self.user_agent, Unset):
            user_agent = UNSET
        else:
            user_agent = self.user_agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "created_at": created_at,
                "id": id,
                "metadata": metadata,
                "org_id": org_id,
                "request_id": request_id,
                "target": target,
            }
        )
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if ip is not UNSET:
            field_dict["ip"] = ip
        if prev_hash is not UNSET:
            field_dict["prev_hash"] = prev_hash
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if seq is not UNSET:
            field_dict["seq"] = seq
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor  # noqa: PLC0415
        from ..models.audit_event_metadata import AuditEventMetadata  # noqa: PLC0415
        from ..models.target import Target  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = Actor.from_dict(d.pop("actor"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        metadata = AuditEventMetadata.from_dict(d.pop("metadata"))

        org_id = d.pop("org_id")

        request_id = d.pop("request_id")

        target = Target.from_dict(d.pop("target"))

        hash_ = d.pop("hash", UNSET)

        def _parse_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip = _parse_ip(d.pop("ip", UNSET))

        prev_hash = d.pop("prev_hash", UNSET)

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        seq = d.pop("seq", UNSET)

        def _parse_user_agent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_agent = _parse_user_agent(d.pop("user_agent", UNSET))

        audit_event = cls(
            action=action,
            actor=actor,
            created_at=created_at,
            id=id,
            metadata=metadata,
            org_id=org_id,
            request_id=request_id,
            target=target,
            hash_=hash_,
            ip=ip,
            prev_hash=prev_hash,
            project_id=project_id,
            seq=seq,
            user_agent=user_agent,
        )

        audit_event.additional_properties = d
        return audit_event

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
