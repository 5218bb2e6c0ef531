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
    # What the jurisdiction calls things (settings, not code): "GPhC registration number" or "State board license
    # number"; the category label of a pharmacy medicine ("Pharmacy medicine (P)" in the UK).
    jurisdiction: str = ""
    # The site's own addresses that lead to the register, the privacy notice and the terms ("/pharmacy/terms/"):
    # what an e-mail links to, so that every link in it starts with the site's address. Empty: link directly.
    link_paths: tuple[tuple[str, str], ...] = ()
    registration_label: str = "Registration number"
    pharmacy_medicine_label: str = "Pharmacy medicine"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    def link(self, kind: str, url: str, site_url: str = "") -> str:
        """The address to print for the register, privacy notice or terms (``kind``): with ``site_url``, the site's
        own address that leads there (``link_paths``), else ``url`` itself."""
        path = dict(self.link_paths).get(kind, "")
        return site_url.rstrip("/") + path if site_url and path else url

    def text_lines(self, site_url: str = "") -> list[str]:
        """The identity as plain-text lines (the end of an e-mail, a packing slip); empty parts are left out. With
        ``site_url`` (an e-mail), its links are the site's own addresses that lead to them."""
        lines = [self.legal_name or self.name]
        if self.legal_name and self.name and self.name != self.legal_name:
            lines[0] += f", trading as {self.name}"
        if self.address:
            lines.append(", ".join(self.address_lines))
        if self.registration_number:
            regulator = f" ({self.regulator_name})" if self.regulator_name else ""
            lines.append(f"{self.registration_label}: {self.registration_number}{regulator}")
            if self.regulator_register_url:
                lines.append(f"Check the register: {self.link('register', self.regulator_register_url, site_url)}")
        if self.superintendent_pharmacist:
            lines.append(f"Superintendent pharmacist: {self.superintendent_pharmacist}")
        contact = " · ".join(part for part in (self.phone, self.email) if part)
        if contact:
            lines.append(f"Contact: {contact}")
        if self.complaints:
            lines.append(f"Complaints: {' '.join(self.complaints.split())}")
        if self.privacy_notice_url:
            lines.append(f"Privacy notice: {self.link('privacy', self.privacy_notice_url, site_url)}")
        if self.terms_url:
            lines.append(f"Terms: {self.link('terms', self.terms_url, site_url)}")
        return lines


def pharmacy_identity() -> PharmacyIdentity:
    """The identity the site layer sets (the first ``pharmacy_identity`` hook), or a bare default."""
    for hook in hooks.get_hooks("pharmacy_identity"):
        identity = hook()
        if identity is not None:
            return identity
    return PharmacyIdentity()
