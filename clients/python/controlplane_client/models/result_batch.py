from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pushed_result import PushedResult


T = TypeVar("T", bound="ResultBatch")


@_attrs_define
class ResultBatch:
    """
    Attributes:
        results (list[PushedResult]): 0 to 1,000 results, within the 64 KiB a body may hold.
        source_id (str):
        tool (str): The tool that produced the results: 1 to 100 characters.
        run_id (None | str | Unset): The tool's own id for the run, up to 200 characters.
    """

    results: list[PushedResult]
    source_id: str
    tool: str
    run_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        source_id = self.source_id

        tool = self.tool

        run_id: None | str | Unset
        if isinstance(self.run_id, Unset):
            run_id = UNSET
        else:
            run_id = self.run_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "results": results,
                "source_id": source_id,
                "tool": tool,
            }
        )
        if run_id is not UNSET:
            field_dict["run_id"] = run_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pushed_result import PushedResult  # noqa: PLC0415

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = PushedResult.from_dict(results_item_data)

            results.append(results_item)

        source_id = d.pop("source_id")

        tool = d.pop("tool")

        def _parse_run_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        run_id = _parse_run_id(d.pop("run_id", UNSET))

        result_batch = cls(
            results=results,
            source_id=source_id,
            tool=tool,
            run_id=run_id,
        )

        return result_batch
