from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.set_quotas_services import SetQuotasServices


T = TypeVar("T", bound="SetQuotas")


@_attrs_define
class SetQuotas:
    """
    Attributes:
        services (SetQuotasServices): The services to change; others keep their quota.
    """

    services: SetQuotasServices

    def to_dict(self) -> dict[str, Any]:
        services = self.services.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "services": services,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.set_quotas_services import SetQuotasServices  # noqa: PLC0415

        d = dict(src_dict)
        services = SetQuotasServices.from_dict(d.pop("services"))

        set_quotas = cls(
            services=services,
        )

        return set_quotas
