from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.egress_grants import EgressGrants
    from ..models.file_grants import FileGrants


T = TypeVar("T", bound="ExecSpec")


@_attrs_define
class ExecSpec:
    """A profile as written: what the target may do.

    Attributes:
        max_output_bytes (int): The largest answer (a tool's result) or artifact (a run's report). Example: 1048576.
        max_run_seconds (int): The longest a run or call may take; it is stopped then. Example: 30.
        egress (EgressGrants | Unset): The hosts a target may call. A deny rule carves hosts out of a wildcard.
        files (FileGrants | Unset): The files a target may reach: absolute paths of files or trees. A
            writable path is readable too.
        secrets (list[str] | Unset): The secrets it may be given.
    """

    max_output_bytes: int
    max_run_seconds: int
    egress: EgressGrants | Unset = UNSET
    files: FileGrants | Unset = UNSET
    secrets: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_output_bytes = self.max_output_bytes

        max_run_seconds = self.max_run_seconds

        egress: dict[str, Any] | Unset = UNSET
        if not isinstance(self.egress, Unset):
            egress = self.egress.to_dict()

        files: dict[str, Any] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = self.files.to_dict()

        secrets: list[str] | Unset = UNSET
        if not isinstance(self.secrets, Unset):
            secrets = self.secrets

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "max_output_bytes": max_output_bytes,
                "max_run_seconds": max_run_seconds,
            }
        )
        if egress is not UNSET:
            field_dict["egress"] = egress
        if files is not UNSET:
            field_dict["files"] = files
        if secrets is not UNSET:
            field_dict["secrets"] = secrets

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.egress_grants import EgressGrants  # noqa: PLC0415
        from ..models.file_grants import FileGrants  # noqa: PLC0415

        d = dict(src_dict)
        max_output_bytes = d.pop("max_output_bytes")

        max_run_seconds = d.pop("max_run_seconds")

        _egress = d.pop("egress", UNSET)
        egress: EgressGrants | Unset
        if isinstance(_egress, Unset):
            egress = UNSET
        else:
            egress = EgressGrants.from_dict(_egress)

        _files = d.pop("files", UNSET)
        files: FileGrants | Unset
        if isinstance(_files, Unset):
            files = UNSET
        else:
            files = FileGrants.from_dict(_files)

        secrets = cast(list[str], d.pop("secrets", UNSET))

        exec_spec = cls(
            max_output_bytes=max_output_bytes,
            max_run_seconds=max_run_seconds,
            egress=egress,
            files=files,
            secrets=secrets,
        )

        return exec_spec
