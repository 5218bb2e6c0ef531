"""The pharmacy's legal identity, for every layer that prints it (the footer, order e-mails, dispensing labels).

The site layer keeps it in its settings and answers the ``pharmacy_identity`` Wagtail hook (a function of no
arguments returning a ``PharmacyIdentity``); a lower layer asks ``pharmacy_identity()`` and never imports the site.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks


@dataclass(frozen=True)
class PharmacyIdentity:
    name: str = "Apothecary"
    legal_name: str = ""
    address: str = ""
    registration_number: str = ""
    regulator_name: str = ""
    regulator_register_url: str = ""
    superintendent_pharmacist: str = ""
    phone: str = ""
    email: str = ""
    complaints: str = ""
    privacy_notice_url: str = ""
    terms_url: str = ""

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


def pharmacy_identity() -> PharmacyIdentity:
    """The identity the site layer sets (the first ``pharmacy_identity`` hook), or a bare default."""
    for hook in hooks.get_hooks("pharmacy_identity"):
        identity = hook()
        if identity is not None:
            return identity
    return PharmacyIdentity()
