from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.source_status import SourceStatus
from ..models.source_type_9_kind import SourceType9Kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.policy_binding import PolicyBinding
    from ..models.pushed import Pushed
    from ..models.run_result import RunResult


T = TypeVar("T", bound="SourceType9")


@_attrs_define
class SourceType9:
    """
    Attributes:
        connector (Pushed): `ingest.trace_push`, `ingest.result_push`: batches are pushed to the
            API; nothing to configure but an optional description of the sender.
        kind (SourceType9Kind):
        created_at (datetime.datetime):
        created_by (str):
        display_name (str):
        enabled (bool):
        id (str):
        org_id (str):
        owner (str): Who answers for the source (a person, team or address); the creator by default.
        policy_bindings (list[PolicyBinding]):
        project_id (str):
        status (SourceStatus):
        updated_at (datetime.datetime):
        version (int):
        credential_ref_id (None | str | Unset):
        last_result (None | RunResult | Unset):
        last_run_at (datetime.datetime | None | Unset):
        region (None | str | Unset):
    """

    connector: Pushed
    kind: SourceType9Kind
    created_at: datetime.datetime
    created_by: str
    display_name: str
    enabled: bool
    id: str
    org_id: str
    owner: str
    policy_bindings: list[PolicyBinding]
    project_id: str
    status: SourceStatus
    updated_at: datetime.datetime
    version: int
    credential_ref_id: None | str | Unset = UNSET
    last_result: None | RunResult | Unset = UNSET
    last_run_at: datetime.datetime | None | Unset = UNSET
    region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_result import RunResult  # noqa: PLC0415

        connector = self.connector.to_dict()

        kind = self.kind.value

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        display_name = self.display_name

        enabled = self.enabled

        id = self.id

        org_id = self.org_id

        owner = self.owner

        policy_bindings = []
        for policy_bindings_item_data in self.policy_bindings:
            policy_bindings_item = policy_bindings_item_data.to_dict()
            policy_bindings.append(policy_bindings_item)

        project_id = self.project_id

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        credential_ref_id: None | str | Unset
        if isinstance(self.credential_ref_id, Unset):
            credential_ref_id = UNSET
        else:
            credential_ref_id = self.credential_ref_id

        last_result: dict[str, Any] | None | Unset
        if isinstance(self.last_result, Unset):
            last_result = UNSET
        elif isinstance(self.last_result, RunResult):
            last_result = self.last_result.to_dict()
        else:
            last_result = self.last_result

        last_run_at: None | str | Unset
        if isinstance(self.last_run_at, Unset):
            last_run_at = UNSET
        elif isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connector": connector,
                "kind": kind,
                "created_at": created_at,
                "created_by": created_by,
                "display_name": display_name,
                "enabled": enabled,
                "id": id,
                "org_id": org_id,
                "owner": owner,
                "policy_bindings": policy_bindings,
                "project_id": project_id,
                "status": status,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if credential_ref_id is not UNSET:
            field_dict["credential_ref_id"] = credential_ref_id
        if last_result is not UNSET:
            field_dict["last_result"] = last_result
        if last_run_at is not UNSET:
            field_dict["last_run_at"] = last_run_at
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_binding import PolicyBinding  # noqa: PLC0415
        from ..models.pushed import Pushed  # noqa: PLC0415
        from ..models.run_result import RunResult  # noqa: PLC0415

        d = dict(src_dict)
        connector = Pushed.from_dict(d.pop("connector"))

        kind = SourceType9Kind(d.pop("kind"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        display_name = d.pop("display_name")

        enabled = d.pop("enabled")

        id = d.pop("id")

        org_id = d.pop("org_id")

        owner = d.pop("owner")

        policy_bindings = []
        _policy_bindings = d.pop("policy_bindings")
        for policy_bindings_item_data in _policy_bindings:
            policy_bindings_item = PolicyBinding.from_dict(policy_bindings_item_data)

            policy_bindings.append(policy_bindings_item)

        project_id = d.pop("project_id")

        status = SourceStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_credential_ref_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_ref_id = _parse_credential_ref_id(d.pop("credential_ref_id", UNSET))

        def _parse_last_result(data: object) -> None | RunResult | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_result_type_0 = RunResult.from_dict(data)

                return last_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunResult | Unset, data)

        last_result = _parse_last_result(d.pop("last_result", UNSET))

        def _parse_last_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        source_type_9 = cls(
            connector=connector,
            kind=kind,
            created_at=created_at,
            created_by=created_by,
            display_name=display_name,
            enabled=enabled,
            id=id,
            org_id=org_id,
            owner=owner,
            policy_bindings=policy_bindings,
            project_id=project_id,
            status=status,
            updated_at=updated_at,
            version=version,
            credential_ref_id=credential_ref_id,
            last_result=last_result,
            last_run_at=last_run_at,
            region=region,
        )

        source_type_9.additional_properties = d
        return source_type_9

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
