from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.credential_kind import CredentialKind

if TYPE_CHECKING:
    from ..models.create_credential_value import CreateCredentialValue


T = TypeVar("T", bound="CreateCredential")


@_attrs_define
class CreateCredential:
    """
    Attributes:
        kind (CredentialKind):
        name (str): 1 to 100 characters, not only spaces; no control, bidirectional or invisible characters.
        value (CreateCredentialValue): The secret itself, shaped by `kind` (see docs/api.md). Stored in the
            secrets store; never shown again.
    """

    kind: CredentialKind
    name: str
    value: CreateCredentialValue

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        value = self.value.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_credential_value import CreateCredentialValue  # noqa: PLC0415

        d = dict(src_dict)
        kind = CredentialKind(d.pop("kind"))

        name = d.pop("name")

        value = CreateCredentialValue.from_dict(d.pop("value"))

        create_credential = cls(
            kind=kind,
            name=name,
            value=value,
        )

        return create_credential
