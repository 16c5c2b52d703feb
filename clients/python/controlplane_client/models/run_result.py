from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_outcome import RunOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="RunResult")


@_attrs_define
class RunResult:
    """What a run (or a pushed batch) left: its outcome and a one-line summary.

    Attributes:
        outcome (RunOutcome):
        summary (str):
        evidence_id (None | str | Unset):
        job_id (None | str | Unset):
        profile_digest (None | str | Unset): The digest of the execution profile the run ran under. Example:
            sha256:4b1e….
    """

    outcome: RunOutcome
    summary: str
    evidence_id: None | str | Unset = UNSET
    job_id: None | str | Unset = UNSET
    profile_digest: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome.value

        summary = self.summary

        evidence_id: None | str | Unset
        if isinstance(self.evidence_id, Unset):
            evidence_id = UNSET
        else:
            evidence_id = self.evidence_id

        job_id: None | str | Unset
        if isinstance(self.job_id, Unset):
            job_id = UNSET
        else:
            job_id = self.job_id

        profile_digest: None | str | Unset
        if isinstance(self.profile_digest, Unset):
            profile_digest = UNSET
        else:
            profile_digest = self.profile_digest

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome": outcome,
                "summary": summary,
            }
        )
        if evidence_id is not UNSET:
            field_dict["evidence_id"] = evidence_id
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if profile_digest is not UNSET:
            field_dict["profile_digest"] = profile_digest

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = RunOutcome(d.pop("outcome"))

        summary = d.pop("summary")

        def _parse_evidence_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        evidence_id = _parse_evidence_id(d.pop("evidence_id", UNSET))

        def _parse_job_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        job_id = _parse_job_id(d.pop("job_id", UNSET))

        def _parse_profile_digest(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        profile_digest = _parse_profile_digest(d.pop("profile_digest", UNSET))

        run_result = cls(
            outcome=outcome,
            summary=summary,
            evidence_id=evidence_id,
            job_id=job_id,
            profile_digest=profile_digest,
        )

        run_result.additional_properties = d
        return run_result

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
