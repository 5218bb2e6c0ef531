"""The pharmacy's legal identity: kept in the site's settings, shown in every page's footer, and given to the layers
below through the ``pharmacy_identity`` hook."""

import pytest
from wagtail.models import Site

from apothecary.core.identity import pharmacy_identity
from home.models import PharmacySettings

pytestmark = pytest.mark.django_db


def set_identity(**fields) -> PharmacySettings:
    settings = PharmacySettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


IDENTITY = dict(
    pharmacy_name="Corner Chemist",
    legal_name="Corner Chemist Trading Ltd",
    registered_address="12 Sample Road\nTesttown TT1 1TT",
    jurisdiction="uk",
    registration_number="TEST-1234567",
    regulator_register_url="https://register.example.org/TEST-1234567",
    superintendent_pharmacist="Pat Example",
    phone="0100 000 000",
    contact_email="help@example.com",
    complaints="Write to the superintendent <b>first</b>.",
    privacy_notice_url="https://example.org/privacy",
    terms_url="https://example.org/terms",
)


def test_every_page_footer_shows_the_legal_identity(client, site_pages):
    set_identity(**IDENTITY)
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "<strong>Corner Chemist Trading Ltd</strong>, trading as Corner Chemist" in footer
    assert "12 Sample Road, Testtown TT1 1TT" in footer
    # The UK's labels come from the jurisdiction, not from the template.
    assert "GPhC registration number: TEST-1234567 (General Pharmaceutical Council (GPhC))" in footer
    assert 'href="https://register.example.org/TEST-1234567"' in footer
    assert "Superintendent pharmacist: Pat Example" in footer
    assert 'href="mailto:help@example.com"' in footer and 'href="tel:0100000000"' in footer
    assert "Write to the superintendent &lt;b&gt;first&lt;/b&gt;." in footer  # escaped
    assert 'href="https://example.org/privacy">Privacy notice' in footer
    assert 'href="https://example.org/terms">Terms and conditions' in footer
    assert client.get("/medicines/").content.decode().count("TEST-1234567") >= 1


def test_an_empty_identity_shows_only_the_name(client, site_pages):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "<strong>Apothecary</strong>" in footer
    assert "registration number" not in footer.lower() and "Superintendent" not in footer
    for kind in ("register", "privacy", "terms"):  # the site's own addresses for them lead nowhere yet
        assert client.get(f"/pharmacy/{kind}/").status_code == 404


def test_the_hook_gives_the_default_sites_identity_and_follows_its_changes(site_pages):
    assert pharmacy_identity().legal_name == ""
    set_identity(**IDENTITY)
    identity = pharmacy_identity()
    assert (identity.legal_name, identity.registration_number) == ("Corner Chemist Trading Ltd", "TEST-1234567")
    assert identity.pharmacy_medicine_label == "Pharmacy medicine (P)"
    set_identity(jurisdiction="us", legal_name="Corner Chemist Inc.")
    identity = pharmacy_identity()
    assert identity.legal_name == "Corner Chemist Inc."
    assert (identity.regulator_name, identity.registration_label) == (
        "State board of pharmacy",
        "State board license number",
    )
    assert identity.pharmacy_medicine_label != "Pharmacy medicine (P)"
    set_identity(registration_label="License no.", regulator_name="Example State Board")
    identity = pharmacy_identity()
    assert (identity.regulator_name, identity.registration_label) == ("Example State Board", "License no.")


def test_the_settings_screen_groups_the_identity(admin_client, site_pages):
    site = Site.objects.get(is_default_site=True)
    html = admin_client.get(f"/admin/settings/home/pharmacysettings/{site.pk}/").content.decode()
    assert "Legal identity" in html and "Contact, complaints, privacy and terms" in html
    assert "regulator&#x27;s public register" in html or "regulator's public register" in html
