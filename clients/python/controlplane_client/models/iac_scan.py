from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.iac_format import IacFormat

if TYPE_CHECKING:
    from ..models.iac_file import IacFile


T = TypeVar("T", bound="IacScan")


@_attrs_define
class IacScan:
    """`scan.iac`: uploaded Terraform or CloudFormation files, checked against
    the documented rule set.

        Attributes:
            files (list[IacFile]):
            format_ (IacFormat):
    """

    files: list[IacFile]
    format_: IacFormat

    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        format_ = self.format_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "files": files,
                "format": format_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iac_file import IacFile  # noqa: PLC0415

        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = IacFile.from_dict(files_item_data)

            files.append(files_item)

        format_ = IacFormat(d.pop("format"))

        iac_scan = cls(
            files=files,
            format_=format_,
        )

        return iac_scan
