from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ImageScan")


@_attrs_define
class ImageScan:
    """`scan.image`: a container image.

    Attributes:
        image (str): `[registry/]repository[:tag][@sha256:…]`, e.g. `ghcr.io/acme/api:1.4`.
    """

    image: str

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = d.pop("image")

        image_scan = cls(
            image=image,
        )

        return image_scan
