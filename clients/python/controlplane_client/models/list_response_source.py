from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source_type_0 import SourceType0
    from ..models.source_type_1 import SourceType1
    from ..models.source_type_2 import SourceType2
    from ..models.source_type_3 import SourceType3
    from ..models.source_type_4 import SourceType4
    from ..models.source_type_5 import SourceType5
    from ..models.source_type_6 import SourceType6
    from ..models.source_type_7 import SourceType7
    from ..models.source_type_8 import SourceType8
    from ..models.source_type_9 import SourceType9
    from ..models.source_type_10 import SourceType10
    from ..models.source_type_11 import SourceType11
    from ..models.source_type_12 import SourceType12
    from ..models.source_type_13 import SourceType13


T = TypeVar("T", bound="ListResponseSource")


@_attrs_define
class ListResponseSource:
    """Every list's shape: `{"data": [...], "next_cursor": "..." | null}`.

    Attributes:
        data (list[SourceType0 | SourceType1 | SourceType10 | SourceType11 | SourceType12 | SourceType13 | SourceType2 |
            SourceType3 | SourceType4 | SourceType5 | SourceType6 | SourceType7 | SourceType8 | SourceType9]):
        next_cursor (None | str | Unset): Pass as `cursor` to read the next page; `null` on the last page.
    """

    data: list[
        SourceType0
        | SourceType1
        | SourceType10
        | SourceType11
        | SourceType12
        | SourceType13
        | SourceType2
        | SourceType3
        | SourceType4
        | SourceType5
        | SourceType6
        | SourceType7
        | SourceType8
        | SourceType9
    ]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.source_type_0 import SourceType0  # noqa: PLC0415
        from ..models.source_type_1 import SourceType1  # noqa: PLC0415
        from ..models.source_type_2 import SourceType2  # noqa: PLC0415
        from ..models.source_type_3 import SourceType3  # noqa: PLC0415
        from ..models.source_type_4 import SourceType4  # noqa: PLC0415
        from ..models.source_type_5 import SourceType5  # noqa: PLC0415
        from ..models.source_type_6 import SourceType6  # noqa: PLC0415
        from ..models.source_type_7 import SourceType7  # noqa: PLC0415
        from ..models.source_type_8 import SourceType8  # noqa: PLC0415
        from ..models.source_type_9 import SourceType9  # noqa: PLC0415
        from ..models.source_type_10 import SourceType10  # noqa: PLC0415
        from ..models.source_type_11 import SourceType11  # noqa: PLC0415
        from ..models.source_type_12 import SourceType12  # noqa: PLC0415

        data = []
        for data_item_data in self.data:
            data_item: dict[str, Any]
            if isinstance(data_item_data, SourceType0):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType1):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType2):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType3):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType4):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType5):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType6):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType7):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType8):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType9):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType10):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType11):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, SourceType12):
                data_item = data_item_data.to_dict()
            else:
                data_item = data_item_data.to_dict()

            data.append(data_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source_type_0 import SourceType0  # noqa: PLC0415
        from ..models.source_type_1 import SourceType1  # noqa: PLC0415
        from ..models.source_type_2 import SourceType2  # noqa: PLC0415
        from ..models.source_type_3 import SourceType3  # noqa: PLC0415
        from ..models.source_type_4 import SourceType4  # noqa: PLC0415
        from ..models.source_type_5 import SourceType5  # noqa: PLC0415
        from ..models.source_type_6 import SourceType6  # noqa: PLC0415
        from ..models.source_type_7 import SourceType7  # noqa: PLC0415
        from ..models.source_type_8 import SourceType8  # noqa: PLC0415
        from ..models.source_type_9 import SourceType9  # noqa: PLC0415
        from ..models.source_type_10 import SourceType10  # noqa: PLC0415
        from ..models.source_type_11 import SourceType11  # noqa: PLC0415
        from ..models.source_type_12 import SourceType12  # noqa: PLC0415
        from ..models.source_type_13 import SourceType13  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:

            def _parse_data_item(
                data: object,
            ) -> (
                SourceType0
                | SourceType1
                | SourceType10
                | SourceType11
                | SourceType12
                | SourceType13
                | SourceType2
                | SourceType3
                | SourceType4
                | SourceType5
                | SourceType6
                | SourceType7
                | SourceType8
                | SourceType9
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_0 = SourceType0.from_dict(data)

                    return componentsschemas_source_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_1 = SourceType1.from_dict(data)

                    return componentsschemas_source_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_2 = SourceType2.from_dict(data)

                    return componentsschemas_source_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_3 = SourceType3.from_dict(data)

                    return componentsschemas_source_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_4 = SourceType4.from_dict(data)

                    return componentsschemas_source_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_5 = SourceType5.from_dict(data)

                    return componentsschemas_source_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_6 = SourceType6.from_dict(data)

                    return componentsschemas_source_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_7 = SourceType7.from_dict(data)

                    return componentsschemas_source_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_8 = SourceType8.from_dict(data)

                    return componentsschemas_source_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_9 = SourceType9.from_dict(data)

                    return componentsschemas_source_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_10 = SourceType10.from_dict(data)

                    return componentsschemas_source_type_10
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_11 = SourceType11.from_dict(data)

                    return componentsschemas_source_type_11
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_source_type_12 = SourceType12.from_dict(data)

                    return componentsschemas_source_type_12
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_13 = SourceType13.from_dict(data)

                return componentsschemas_source_type_13

            data_item = _parse_data_item(data_item_data)

            data.append(data_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        list_response_source = cls(
            data=data,
            next_cursor=next_cursor,
        )

        list_response_source.additional_properties = d
        return list_response_source

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
