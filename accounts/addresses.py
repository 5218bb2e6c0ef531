"""Where a delivery address may be: the countries of ``settings.SHIPPING_COUNTRIES`` and each one's region field.

"State" (one of the list, required) for the United States, "County" (optional) for the United Kingdom, "Region"
(optional) elsewhere; the postcode's label follows the country. The checkout and the address book both use these
rules, so a UK address is never saved as "United States".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"),
    ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
    ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
    ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
    ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip


@dataclass(frozen=True)
class RegionRule:
    label: str  # "State", "County", "Region"
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # a list to choose from; empty: typed
    postcode_label: str = "Postcode"


RULES = {
    "US": RegionRule("State", True, tuple(US_STATES), "ZIP code"),
    "GB": RegionRule("County", False, (), "Postcode"),
}
GENERIC = RegionRule("Region", False, (), "Postcode")


def countries() -> list[tuple[str, str]]:
    """The supported countries as (code, name), the first one the default."""
    return [(code, name) for code, name in settings.SHIPPING_COUNTRIES]


def country_names() -> list[str]:
    return [name for _code, name in countries()]


def country_code(name: str) -> str:
    """The code of a supported country by its name ("" if it is not one)."""
    return next((code for code, known in countries() if known.casefold() == (name or "").strip().casefold()), "")


def region_rule(country_name: str) -> RegionRule:
    """The region field of a country: "State" for the United States, "County" for the UK, else "Region"."""
    return RULES.get(country_code(country_name), GENERIC)


def clean_region(country_name: str, region: str) -> str:
    """The region as kept for ``country_name``: a US state's name from its code or name (required); for other
    countries, the text typed (optional). Raises ValidationError with the field's own words."""
    rule = region_rule(country_name)
    region = " ".join((region or "").split())
    if rule.choices:
        for code, name in rule.choices:
            if region.casefold() in (code.casefold(), name.casefold()):
                return name
        raise ValidationError(
            f"Choose the {rule.label.lower()}." if not region else f"Choose a {rule.label.lower()} from the list."
        )
    if rule.required and not region:
        raise ValidationError(f"Enter the {rule.label.lower()}.")
    return region


ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "postcode", "region", "country", "phone")


def save_address(user, address: dict[str, str]):
    """Keep an address typed at checkout in ``user``'s address book (asked for by the customer): the same address
    already there is not added twice; the first address becomes the default."""
    from accounts.models import Address

    fields = {name: (address.get(name) or "").strip() for name in ADDRESS_FIELDS}
    existing = Address.objects.filter(user=user, **fields).first()
    if existing is not None:
        return existing
    return Address.objects.create(user=user, is_default=not Address.objects.filter(user=user).exists(), **fields)
