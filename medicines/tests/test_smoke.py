def test_build_site_and_medicine(medicine, site_pages):
    from home.services import build_site

    again = build_site()
    assert again["medicines"].pk == site_pages["medicines"].pk
    assert medicine.live
    assert medicine.url == "/medicines/baclofen/"
