from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.service import Service

T = TypeVar("T", bound="CheckUsage")


@_attrs_define
class CheckUsage:
    """
    Attributes:
        amount (int): The units about to be used (0 asks for the standing only).
        project_id (str):
        service (Service):
    """

    amount: int
    project_id: str
    service: Service

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        project_id = self.project_id

        service = self.service.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "project_id": project_id,
                "service": service,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        project_id = d.pop("project_id")

        service = Service(d.pop("service"))

        check_usage = cls(
            amount=amount,
            project_id=project_id,
            service=service,
        )

        return check_usage
