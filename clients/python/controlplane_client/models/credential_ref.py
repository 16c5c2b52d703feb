from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.credential_kind import CredentialKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.test_result import TestResult


T = TypeVar("T", bound="CredentialRef")


@_attrs_define
class CredentialRef:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str):
        fingerprint (str):
        id (str):
        kind (CredentialKind):
        name (str):
        org_id (str):
        secret_arn (str): Where the value is: a Secrets Manager ARN on AWS, the secret's name locally.
        sources_using (int): Sources that use it; it cannot be deleted while any do (unless forced).
        updated_at (datetime.datetime):
        version (int):
        last_test_result (None | TestResult | Unset):
        last_tested_at (datetime.datetime | None | Unset):
        region (None | str | Unset):
    """

    created_at: datetime.datetime
    created_by: str
    fingerprint: str
    id: str
    kind: CredentialKind
    name: str
    org_id: str
    secret_arn: str
    sources_using: int
    updated_at: datetime.datetime
    version: int
    last_test_result: None | TestResult | Unset = UNSET
    last_tested_at: datetime.datetime | None | Unset = UNSET
    region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.test_result import TestResult  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        fingerprint = self.fingerprint

        id = self.id

        kind = self.kind.value

        name = self.name

        org_id = self.org_id

        secret_arn = self.secret_arn

        sources_using = self.sources_using

        updated_at = self.updated_at.isoformat()

        version = self.version

        last_test_result: dict[str, Any] | None | Unset
        if isinstance(self.last_test_result, Unset):
            last_test_result = UNSET
        elif isinstance(self.last_test_result, TestResult):
            last_test_result = self.last_test_result.to_dict()
        else:
            last_test_result = self.last_test_result

        last_tested_at: None | str | Unset
        if isinstance(self.last_tested_at, Unset):
            last_tested_at = UNSET
        elif isinstance(self.last_tested_at, datetime.datetime):
            last_tested_at = self.last_tested_at.isoformat()
        else:
            last_tested_at = self.last_tested_at

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "fingerprint": fingerprint,
                "id": id,
                "kind": kind,
                "name": name,
                "org_id": org_id,
                "secret_arn": secret_arn,
                "sources_using": sources_using,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if last_test_result is not UNSET:
            field_dict["last_test_result"] = last_test_result
        if last_tested_at is not UNSET:
            field_dict["last_tested_at"] = last_tested_at
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.test_result import TestResult  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        fingerprint = d.pop("fingerprint")

        id = d.pop("id")

        kind = CredentialKind(d.pop("kind"))

        name = d.pop("name")

        org_id = d.pop("org_id")

        secret_arn = d.pop("secret_arn")

        sources_using = d.pop("sources_using")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_last_test_result(data: object) -> None | TestResult | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_test_result_type_0 = TestResult.from_dict(data)

                return last_test_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TestResult | Unset, data)

        last_test_result = _parse_last_test_result(d.pop("last_test_result", UNSET))

        def _parse_last_tested_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_tested_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_tested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_tested_at = _parse_last_tested_at(d.pop("last_tested_at", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        credential_ref = cls(
            created_at=created_at,
            created_by=created_by,
            fingerprint=fingerprint,
            id=id,
            kind=kind,
            name=name,
            org_id=org_id,
            secret_arn=secret_arn,
            sources_using=sources_using,
            updated_at=updated_at,
            version=version,
            last_test_result=last_test_result,
            last_tested_at=last_tested_at,
            region=region,
        )

        credential_ref.additional_properties = d
        return credential_ref

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
