from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.strategy import Strategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="EditDataPolicyStrategies")


@_attrs_define
class EditDataPolicyStrategies:
    """How each built-in kind is replaced (`mask` when not named).

    Attributes:
        api_key (Strategy | Unset): What replaces a finding.
        aws_access_key (Strategy | Unset): What replaces a finding.
        credit_card (Strategy | Unset): What replaces a finding.
        email (Strategy | Unset): What replaces a finding.
        iban (Strategy | Unset): What replaces a finding.
        ip_address (Strategy | Unset): What replaces a finding.
        jwt (Strategy | Unset): What replaces a finding.
        phone (Strategy | Unset): What replaces a finding.
        ssn (Strategy | Unset): What replaces a finding.
    """

    api_key: Strategy | Unset = UNSET
    aws_access_key: Strategy | Unset = UNSET
    credit_card: Strategy | Unset = UNSET
    email: Strategy | Unset = UNSET
    iban: Strategy | Unset = UNSET
    ip_address: Strategy | Unset = UNSET
    jwt: Strategy | Unset = UNSET
    phone: Strategy | Unset = UNSET
    ssn: Strategy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        api_key: str | Unset = UNSET
        if not isinstance(self.api_key, Unset):
            api_key = self.api_key.value

        aws_access_key: str | Unset = UNSET
        if not isinstance(self.aws_access_key, Unset):
            aws_access_key = self.aws_access_key.value

        credit_card: str | Unset = UNSET
        if not isinstance(self.credit_card, Unset):
            credit_card = self.credit_card.value

        email: str | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email.value

        iban: str | Unset = UNSET
        if not isinstance(self.iban, Unset):
            iban = self.iban.value

        ip_address: str | Unset = UNSET
        if not isinstance(self.ip_address, Unset):
            ip_address = self.ip_address.value

        jwt: str | Unset = UNSET
        if not isinstance(self.jwt, Unset):
            jwt = self.jwt.value

        phone: str | Unset = UNSET
        if not isinstance(self.phone, Unset):
            phone = self.phone.value

        ssn: str | Unset = UNSET
        if not isinstance(self.ssn, Unset):
            ssn = self.ssn.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if aws_access_key is not UNSET:
            field_dict["aws_access_key"] = aws_access_key
        if credit_card is not UNSET:
            field_dict["credit_card"] = credit_card
        if email is not UNSET:
            field_dict["email"] = email
        if iban is not UNSET:
            field_dict["iban"] = iban
        if ip_address is not UNSET:
            field_dict["ip_address"] = ip_address
        if jwt is not UNSET:
            field_dict["jwt"] = jwt
        if phone is not UNSET:
            field_dict["phone"] = phone
        if ssn is not UNSET:
            field_dict["ssn"] = ssn

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _api_key = d.pop("api_key", UNSET)
        api_key: Strategy | Unset
        if isinstance(_api_key, Unset):
            api_key = UNSET
        else:
            api_key = Strategy(_api_key)

        _aws_access_key = d.pop("aws_access_key", UNSET)
        aws_access_key: Strategy | Unset
        if isinstance(_aws_access_key, Unset):
            aws_access_key = UNSET
        else:
            aws_access_key = Strategy(_aws_access_key)

        _credit_card = d.pop("credit_card", UNSET)
        credit_card: Strategy | Unset
        if isinstance(_credit_card, Unset):
            credit_card = UNSET
        else:
            credit_card = Strategy(_credit_card)

        _email = d.pop("email", UNSET)
        email: Strategy | Unset
        if isinstance(_email, Unset):
            email = UNSET
        else:
            email = Strategy(_email)

        _iban = d.pop("iban", UNSET)
        iban: Strategy | Unset
        if isinstance(_iban, Unset):
            iban = UNSET
        else:
            iban = Strategy(_iban)

        _ip_address = d.pop("ip_address", UNSET)
        ip_address: Strategy | Unset
        if isinstance(_ip_address, Unset):
            ip_address = UNSET
        else:
            ip_address = Strategy(_ip_address)

        _jwt = d.pop("jwt", UNSET)
        jwt: Strategy | Unset
        if isinstance(_jwt, Unset):
            jwt = UNSET
        else:
            jwt = Strategy(_jwt)

        _phone = d.pop("phone", UNSET)
        phone: Strategy | Unset
        if isinstance(_phone, Unset):
            phone = UNSET
        else:
            phone = Strategy(_phone)

        _ssn = d.pop("ssn", UNSET)
        ssn: Strategy | Unset
        if isinstance(_ssn, Unset):
            ssn = UNSET
        else:
            ssn = Strategy(_ssn)

        edit_data_policy_strategies = cls(
            api_key=api_key,
            aws_access_key=aws_access_key,
            credit_card=credit_card,
            email=email,
            iban=iban,
            ip_address=ip_address,
            jwt=jwt,
            phone=phone,
            ssn=ssn,
        )

        return edit_data_policy_strategies
