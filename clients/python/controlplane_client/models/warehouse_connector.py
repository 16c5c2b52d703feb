from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WarehouseConnector")


@_attrs_define
class WarehouseConnector:
    """`connector.warehouse`: a data warehouse's HTTPS endpoint.

    Attributes:
        database (str):
        endpoint (str):
    """

    database: str
    endpoint: str

    def to_dict(self) -> dict[str, Any]:
        database = self.database

        endpoint = self.endpoint

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "database": database,
                "endpoint": endpoint,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        database = d.pop("database")

        endpoint = d.pop("endpoint")

        warehouse_connector = cls(
            database=database,
            endpoint=endpoint,
        )

        return warehouse_connector
