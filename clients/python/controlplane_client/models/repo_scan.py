from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RepoScan")


@_attrs_define
class RepoScan:
    """`scan.repo`: a Git repository over HTTPS.

    Attributes:
        repo_url (str): `https://…` clone URL, without credentials.
        branch (None | str | Unset):
        paths (list[str] | Unset): Paths to scan (default: the whole tree).
    """

    repo_url: str
    branch: None | str | Unset = UNSET
    paths: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        repo_url = self.repo_url

        branch: None | str | Unset
        if isinstance(self.branch, Unset):
            branch = UNSET
        else:
            branch = self.branch

        paths: list[str] | Unset = UNSET
        if not isinstance(self.paths, Unset):
            paths = self.paths

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "repo_url": repo_url,
            }
        )
        if branch is not UNSET:
            field_dict["branch"] = branch
        if paths is not UNSET:
            field_dict["paths"] = paths

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        repo_url = d.pop("repo_url")

        def _parse_branch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        branch = _parse_branch(d.pop("branch", UNSET))

        paths = cast(list[str], d.pop("paths", UNSET))

        repo_scan = cls(
            repo_url=repo_url,
            branch=branch,
            paths=paths,
        )

        return repo_scan
