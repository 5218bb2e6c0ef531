"""CSV import and export of the catalogue: the format, the dry run, all-or-nothing apply, the commands and the admin."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from catalogue import csv as csv_io
from catalogue.models import DosageForm, Pack, Product
from catalogue.money import format_money
from tests.factories import approve, make_medicine, make_product, make_user

PRODUCTS_URL = "/admin/snippets/catalogue/product/"
IMPORT_URL = PRODUCTS_URL + "import-csv/"
APPLY_URL = PRODUCTS_URL + "import-csv/apply/"
EXPORT_URL = PRODUCTS_URL + "export-csv/"


@pytest.fixture
def packs_by_sku(medicine):
    """Baclofen 10 mg tablets in packs of 30 (SKU BAC-10-30, $15.30, 10 in stock) and 90 (BAC-10-90, $40.00, none)."""
    product = make_product(medicine, "10 mg", packs=[(30, "15.30", 10), (90, "40.00", 0)])
    small, large = product.packs.order_by("units")
    Pack.objects.filter(pk=small.pk).update(sku="BAC-10-30")
    Pack.objects.filter(pk=large.pk).update(sku="BAC-10-90")
    approve(product)  # new codes: a pharmacist approves them
    return {"BAC-10-30": Pack.objects.get(pk=small.pk), "BAC-10-90": Pack.objects.get(pk=large.pk)}


ROW = {
    "medicine": "baclofen",
    "form": "tablet",
    "strength": "10 mg",
    "manufacturer": "",
    "ndc_product_code": "",
    "rxnorm_code": "",
    "product_active": "yes",
    "sku": "BAC-10-30",
    "units": "30",
    "price": "15.30",
    "stock": "10",
    "ndc": "",
}

SECOND_PACK = {"BAC-10-90": {"units": "90", "price": "40.00", "stock": "0"}}  # its other cells as in ``packs_by_sku``


def csv_file(*rows: dict, columns=csv_io.COLUMNS) -> str:
    """A CSV text with the header ``columns`` and one line per row (each a change to ``ROW``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        values = {**ROW, **SECOND_PACK.get(row.get("sku"), {}), **row}
        writer.writerow([values.get(column, "") for column in columns])
    return out.getvalue()


def stock_and_prices() -> dict[str, tuple[Decimal, int]]:
    return {sku: (price, stock) for sku, price, stock in Pack.objects.values_list("sku", "price", "stock")}


# ---------------------------------------------------------------------------
# Reading and applying


@pytest.mark.django_db
def test_a_good_file_updates_prices_and_stock_and_the_guide_page_and_the_api_show_them(client, medicine, packs_by_sku):
    plan = csv_io.read(csv_file({"sku": "BAC-10-30", "price": "8.75", "stock": "40"}, {"sku": "BAC-10-90"}))
    assert plan.ok, plan.errors
    assert [str(change) for change in plan.changed] == [
        "Row 2, SKU BAC-10-30 (Baclofen 10 mg tablet): price 15.30 → 8.75; stock 10 → 40"
    ]
    assert [change.kind for change in plan.changes] == ["update", "unchanged"]

    written = csv_io.apply(plan)

    assert (
        written.summary == "0 products created, 0 packs created, 1 pack updated (1 price, 1 stock level), 1 unchanged."
    )
    pack = Pack.objects.get(sku="BAC-10-30")
    assert (pack.price, pack.stock) == (Decimal("8.75"), 40)
    html = client.get(medicine.url).content.decode()
    assert format_money(Decimal("8.75")) in html
    assert format_money(Decimal("15.30")) not in html
    assert format_money(Decimal("0.29")) in html  # 8.75 / 30 tablets, to the cent
    api = client.get(f"/api/products/{pack.product_id}").json()
    in_api = {row["sku"]: (row["price"]["amount"], row["stock"]) for row in api["packs"]}
    assert in_api["BAC-10-30"] == ("8.75", 40)


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_the_error_names_the_row_column_and_value(packs_by_sku):
    before = stock_and_prices()
    text = csv_file(
        {"sku": "BAC-10-30", "price": "8.75", "stock": "40"},
        {"sku": "BAC-10-90", "price": "abc"},
        {"sku": "BAC-10-120", "units": "120", "price": "50.00"},
    )
    plan = csv_io.read(text)

    assert not plan.ok
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(3, "price", "abc")]
    assert str(plan.errors[0]).startswith("Row 3, column price (“abc”): not a price")
    with pytest.raises(csv_io.ImportRefused, match="row 3"):
        csv_io.apply(plan)
    assert stock_and_prices() == before
    assert not Pack.objects.filter(sku="BAC-10-120").exists()


@pytest.mark.django_db
def test_new_skus_create_packs_and_products_of_an_existing_guide(medicine, packs_by_sku):
    plan = csv_io.read(
        csv_file(
            {"sku": "BAC-10-120", "units": "120", "price": "50.00", "stock": "3"},
            {"sku": "BAC-5-ML", "form": "Oral solution", "strength": "5 mg/5 mL", "units": "300", "price": "12"},
            {"sku": "BAC-5-ML-2", "form": "oral_solution", "strength": "5 mg/5 mL", "units": "150", "price": "7"},
        )
    )
    assert plan.ok, plan.errors
    assert [change.kind for change in plan.changes] == ["create pack", "create product", "create pack"]
    assert plan.changes[1].description == (
        "new product Baclofen 5 mg/5 mL oral solution; new pack: units 300, price 12.00, stock 10; "
        "not sold until a pharmacist approves it"
    )

    csv_io.apply(plan)

    liquid = Product.objects.get(medicine=medicine, form=DosageForm.ORAL_SOLUTION, strength="5 mg/5 mL")
    assert sorted(liquid.packs.values_list("sku", "units", "price")) == [
        ("BAC-5-ML", 300, Decimal("12.00")),
        ("BAC-5-ML-2", 150, Decimal("7.00")),
    ]
    assert Pack.objects.get(sku="BAC-10-120").product == packs_by_sku["BAC-10-30"].product


@pytest.mark.django_db
def test_product_columns_update_the_product_and_rows_of_one_product_must_agree(packs_by_sku):
    plan = csv_io.read(
        csv_file(
            {"sku": "BAC-10-30", "manufacturer": "Acme", "product_active": "no"},
            {"sku": "BAC-10-90", "manufacturer": "Acme", "product_active": "no"},
        )
    )
    assert plan.ok, plan.errors
    assert plan.changes[0].description == "manufacturer (blank) → Acme; product_active yes → no"
    csv_io.apply(plan)
    product = packs_by_sku["BAC-10-30"].product
    product.refresh_from_db()
    assert (product.manufacturer, product.active) == ("Acme", False)

    disagreeing = csv_io.read(csv_file({"sku": "BAC-10-30"}, {"sku": "BAC-10-90", "manufacturer": "Other"}))
    assert [(e.row, e.column, e.value) for e in disagreeing.errors] == [(3, "manufacturer", "Other")]
    assert "row 2 gives a blank for the same product (baclofen 10 mg tablet)" in disagreeing.errors[0].message


@pytest.mark.django_db
def test_a_medicine_without_a_guide_is_an_error_the_csv_never_creates_guides(packs_by_sku):
    plan = csv_io.read(csv_file({"medicine": "no-such-medicine", "sku": "NEW-1"}))
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(2, "medicine", "no-such-medicine")]
    assert "no medicine guide has this slug" in plan.errors[0].message
    with pytest.raises(csv_io.ImportRefused):
        csv_io.apply(plan)
    assert not Product.objects.filter(medicine__slug="no-such-medicine").exists()


@pytest.mark.django_db
def test_a_sku_twice_in_the_file_is_an_error_on_its_second_row(packs_by_sku):
    plan = csv_io.read(csv_file({"sku": "BAC-10-30"}, {"sku": "BAC-10-90"}, {"sku": "BAC-10-30", "price": "1.00"}))
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(4, "sku", "BAC-10-30")]
    assert "the same SKU is on row 2" in plan.errors[0].message


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("price", "abc", "not a price"),
        ("price", "9,50", "not a price"),
        ("price", "$9.50", "not a price"),
        ("price", "0", "more than 0"),
        ("price", "-1.00", "more than 0"),
        ("price", "9.999", "two decimal places"),
        ("price", "", "required"),
        ("stock", "-3", "0 or more"),
        ("stock", "2.5", "not a whole number"),
        ("units", "0", "1 or more"),
        ("form", "pill", "not a dosage form"),
        ("product_active", "maybe", "yes or no"),
        ("sku", "", "required"),
        ("strength", "x" * 51, "at most 50 characters"),
    ],
)
@pytest.mark.django_db
def test_bad_cells_are_errors_naming_row_column_and_value(packs_by_sku, column, value, message):
    plan = csv_io.read(csv_file({}, {"sku": "BAC-10-90", column: value}))
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(3, column, value)]
    assert message in plan.errors[0].message


@pytest.mark.django_db
def test_prices_are_decimals_and_a_byte_order_mark_is_accepted(packs_by_sku):
    data = "\ufeff".encode() + csv_file({"price": "9.5", "stock": "12"}).encode()
    plan = csv_io.read(io.BytesIO(data))
    assert plan.ok, plan.errors
    assert plan.rows[0].price == Decimal("9.50") and isinstance(plan.rows[0].price, Decimal)
    csv_io.apply(plan)
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("9.50")


@pytest.mark.django_db
def test_header_problems_and_unreadable_files_are_clear_errors(packs_by_sku):
    unknown = csv_io.read(csv_file(columns=[*csv_io.COLUMNS, "colour"]))
    assert [str(error) for error in unknown.errors][0].startswith("Row 1: unknown column “colour”. The columns are:")
    missing = csv_io.read(csv_file({}, columns=[c for c in csv_io.COLUMNS if c not in ("stock", "ndc")]))
    assert [str(error) for error in missing.errors] == ["Row 1: missing columns stock, ndc."]
    assert "the file is empty" in str(csv_io.read(b"").errors[0])
    assert "no packs" in str(csv_io.read(csv_file()).errors[0])
    latin1 = csv_file({"manufacturer": "Pharmazié"}).encode("latin-1")
    assert "not UTF-8" in str(csv_io.read(latin1).errors[0])
    nul = csv_io.read(csv_file({"manufacturer": "Pharma\x00"}))
    assert [str(error) for error in nul.errors] == [
        "The file: line 2 holds a NUL character: this is not a CSV text file."
    ]
    short = csv_io.read(csv_file() + "baclofen,tablet\n")
    assert [str(error) for error in short.errors] == ["Row 2: it has 2 cells, the header has 12."]


@pytest.mark.django_db
def test_a_pack_cannot_move_to_another_product(packs_by_sku):
    plan = csv_io.read(csv_file({"sku": "BAC-10-30", "strength": "20 mg"}))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "sku")]
    assert "a pack cannot move to another product" in plan.errors[0].message


@pytest.mark.django_db
def test_apply_checks_again_and_writes_nothing_if_the_catalogue_changed_since_the_preview(medicine, packs_by_sku):
    plan = csv_io.read(csv_file({"price": "8.75"}, {"sku": "NEW-1", "units": "60", "price": "20.00"}))
    assert plan.ok
    other = make_product(medicine, "25 mg")
    Pack.objects.filter(product=other).update(sku="NEW-1")  # meanwhile, someone gave that SKU to another product

    with pytest.raises(csv_io.ImportRefused) as refused:
        csv_io.apply(plan)

    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "sku")]
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")


@pytest.mark.django_db
def test_each_product_touched_by_an_import_is_logged(packs_by_sku):
    user = make_user("editor@example.com")
    csv_io.apply(csv_io.read(csv_file({"stock": "41"})), user=user, source="test.csv")
    entry = ModelLogEntry.objects.get(action=csv_io.LOG_ACTION)
    assert entry.object_id == str(packs_by_sku["BAC-10-30"].product_id)
    assert entry.user == user
    assert entry.data == {
        "source": "test.csv",
        "changes": ["Row 2, SKU BAC-10-30 (Baclofen 10 mg tablet): stock 10 → 41"],
    }


# ---------------------------------------------------------------------------
# Export


@pytest.mark.django_db
def test_export_writes_what_import_reads_round_trip(site_pages, drug_class, medicine, packs_by_sku):
    other = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    product = make_product(other, "4 mg", DosageForm.CAPSULE, packs=[(30, "21.05", 3)])
    Product.objects.filter(pk=product.pk).update(manufacturer="=cmd|' /C calc'!A0", rxnorm_code="313415", active=False)
    Pack.objects.filter(product=product).update(ndc="0000-0000-00")
    exported = io.StringIO(newline="")
    assert csv_io.write(exported) == 3
    text = exported.getvalue()
    assert text.splitlines()[0] == ",".join(csv_io.COLUMNS)
    assert "'=cmd" in text  # a spreadsheet would take it for a formula

    unchanged = csv_io.read(text)
    assert unchanged.ok and not unchanged.changed and len(unchanged.changes) == 3

    Product.objects.all().delete()
    recreated = csv_io.read(text)
    assert recreated.ok, recreated.errors
    csv_io.apply(recreated)
    again = io.StringIO(newline="")
    csv_io.write(again)
    assert again.getvalue() == text
    assert Product.objects.get(medicine=other).manufacturer == "=cmd|' /C calc'!A0"


# ---------------------------------------------------------------------------
# The commands


@pytest.mark.django_db
def test_import_command_dry_run_prints_the_changes_and_writes_nothing(tmp_path, packs_by_sku):
    path = tmp_path / "catalogue.csv"
    path.write_text(csv_file({"price": "8.75", "stock": "40"}), encoding="utf-8")
    out = io.StringIO()
    call_command("import_catalogue", str(path), "--dry-run", stdout=out)
    assert "Row 2, SKU BAC-10-30 (Baclofen 10 mg tablet): price 15.30 → 8.75; stock 10 → 40" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")

    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "1 pack updated (1 price, 1 stock level)" in out.getvalue()
    assert stock_and_prices()["BAC-10-30"] == (Decimal("8.75"), 40)


@pytest.mark.django_db
def test_import_command_fails_naming_the_rows_and_imports_nothing(tmp_path, packs_by_sku):
    path = tmp_path / "catalogue.csv"
    path.write_text(csv_file({"price": "8.75"}, {"sku": "BAC-10-90", "stock": "-2"}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 error in row 3\."):
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=err)
    assert "Row 3, column stock (“-2”): must be 0 or more." in err.getvalue()
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_catalogue", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_export_command_writes_a_file_the_import_command_reads(tmp_path, packs_by_sku):
    path = tmp_path / "export.csv"
    out = io.StringIO()
    call_command("export_catalogue", str(path), stdout=out)
    assert "Exported 2 packs" in out.getvalue()
    stdout = io.StringIO()
    call_command("export_catalogue", stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue() == path.read_bytes().decode()
    out = io.StringIO()
    call_command("import_catalogue", str(path), "--dry-run", stdout=out)
    assert "2 unchanged" in out.getvalue()


# ---------------------------------------------------------------------------
# The admin


@pytest.fixture
def editor_client(client, site_pages):
    """A member of the Editors group, who may add and change products (not a superuser)."""
    client.force_login(make_user("editor@example.com", groups=["Editors"], is_staff=True))
    return client


def upload(text: str | bytes, name="catalogue.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


@pytest.mark.django_db
def test_admin_preview_shows_the_changes_and_apply_writes_them(editor_client, packs_by_sku):
    listing = editor_client.get(PRODUCTS_URL).content.decode()
    assert IMPORT_URL in listing and EXPORT_URL in listing

    preview = editor_client.post(IMPORT_URL, {"file": upload(csv_file({"price": "8.75", "stock": "40"}))})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Price 15.30 → 8.75; stock 10 → 40" in html
    assert 'action="' + APPLY_URL + '"' in html
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")  # the preview writes nothing

    digest = preview.context["apply_form"].initial["digest"]
    applied = editor_client.post(APPLY_URL, {"digest": digest}, follow=True)
    assert applied.redirect_chain[-1][0] == PRODUCTS_URL
    assert "Imported “catalogue.csv”: 0 products created, 0 packs created, 1 pack updated" in applied.content.decode()
    assert stock_and_prices()["BAC-10-30"] == (Decimal("8.75"), 40)
    assert ModelLogEntry.objects.filter(action=csv_io.LOG_ACTION, user__email="editor@example.com").count() == 1

    again = editor_client.post(APPLY_URL, {"digest": digest}, follow=True)
    assert "no longer waiting" in again.content.decode()


@pytest.mark.django_db
def test_admin_preview_of_a_bad_file_lists_the_errors_and_offers_no_apply(editor_client, packs_by_sku):
    response = editor_client.post(
        IMPORT_URL, {"file": upload(csv_file({"price": "8.75"}, {"medicine": "nope", "sku": "NEW-1"}))}
    )
    html = response.content.decode()
    assert "Nothing was imported: 1 error in row 3." in html
    assert "<code>nope</code>" in html and "No medicine guide has this slug" in html
    assert APPLY_URL not in html
    assert editor_client.post(APPLY_URL, {"digest": "0" * 64}).status_code == 302
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")


@pytest.mark.django_db
def test_admin_apply_takes_only_the_file_the_preview_showed(editor_client, packs_by_sku):
    first = editor_client.post(IMPORT_URL, {"file": upload(csv_file({"price": "1.00"}))})
    editor_client.post(IMPORT_URL, {"file": upload(csv_file({"price": "2.00"}))})  # another tab
    editor_client.post(APPLY_URL, {"digest": first.context["apply_form"].initial["digest"]})
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")


@pytest.mark.django_db
def test_admin_export_downloads_the_catalogue_with_a_byte_order_mark(editor_client, packs_by_sku):
    response = editor_client.get(EXPORT_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="catalogue-')
    assert response.content.startswith("\ufeff".encode())
    plan = csv_io.read(response.content)
    assert plan.ok and len(plan.changes) == 2 and not plan.changed


@pytest.mark.django_db
def test_users_who_may_not_change_products_cannot_import_or_export(client, site_pages, packs_by_sku):
    client.force_login(make_user("moderator@example.com", groups=["Moderators"], is_staff=True))
    for response in (
        client.get(PRODUCTS_URL),
        client.get(IMPORT_URL),
        client.get(EXPORT_URL),
        client.post(IMPORT_URL, {"file": upload(csv_file({"price": "8.75"}))}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's "permission denied"
    # An editor previews a file, then loses the right to change products before pressing "Apply".
    editor = make_user("editor@example.com", groups=["Editors"], is_staff=True)
    client.force_login(editor)
    preview = client.post(IMPORT_URL, {"file": upload(csv_file({"price": "8.75"}))})
    digest = preview.context["apply_form"].initial["digest"]
    editor.groups.set([Group.objects.get(name="Moderators")])
    assert client.post(APPLY_URL, {"digest": digest})["Location"] == "/admin/"
    assert Pack.objects.get(sku="BAC-10-30").price == Decimal("15.30")


@pytest.mark.django_db
def test_a_user_who_may_not_add_products_cannot_import_rows_that_create_one(client, site_pages, packs_by_sku):
    user = make_user("stock@example.com", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="catalogue", codename="change_product"),
    )
    client.force_login(user)
    text = csv_file({"price": "8.75"}, {"sku": "NEW", "strength": "20 mg"})
    html = client.post(IMPORT_URL, {"file": upload(text)}).content.decode()
    assert "Nothing was imported: 1 error in row 3." in html and "you may not add products" in html
    assert APPLY_URL not in html
    assert not Product.objects.filter(strength="20 mg").exists()
