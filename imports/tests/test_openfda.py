"""``manage.py import_openfda``: openFDA drug labels become draft guides, with the label as their reference, and
inactive products without packs; importing again updates and never duplicates; bad records and files are named.

The fixtures (``fixtures/openfda/``) are small files in the openFDA ``/drug/label`` download format, with
placeholder identifiers and label text taken from the project's fact sheets.
"""

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalogue.models import DosageForm, Pack, Product
from evidence.models import Reference, ReferenceKind
from imports.openfda import NOT_IN_LABEL, FormMention, forms_and_strengths, parse_label, product_specs
from medicines.models import ControlledSchedule, DrugClassPage, LegalStatus, MedicinePage
from medicines.services import approve_revision
from tests.factories import approving_pharmacist

FIXTURES = Path(__file__).parent / "fixtures" / "openfda"
THREE_LABELS = FIXTURES / "drug-label-three-records.json"
WITH_GAPS = FIXTURES / "drug-label-0001-of-0001.json"


def set_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


BACLOFEN, ZANAFLEX, METFORMIN, SOMA, GABLOFEN, NO_NAMES = (set_id(n) for n in range(1, 7))


def run(*files, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_openfda", *[str(name) for name in files], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*files, match: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("import_openfda", *[str(name) for name in files], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def guide(label_set_id: str) -> MedicinePage:
    return MedicinePage.objects.get(label_set_id=label_set_id)


def products(page: MedicinePage) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (product.form, product.strength): (product.ndc_product_code, product.rxnorm_code)
        for product in Product.objects.filter(medicine=page)
    }


def edited(tmp_path: Path, change, source: Path = THREE_LABELS) -> Path:
    """A copy of ``source`` with ``change(records_by_set_id)`` applied."""
    document = json.loads(source.read_text())
    change({record.get("set_id"): record for record in document["results"]})
    path = tmp_path / source.name
    path.write_text(json.dumps(document))
    return path


def new_baclofen_version(records) -> None:
    """Version 4 of the baclofen label: its dosage section and its labeler's name changed."""
    baclofen = records[BACLOFEN]
    baclofen.update(version="4", effective_time="20250601")
    baclofen["dosage_and_administration"] = ["2 DOSAGE AND ADMINISTRATION See full prescribing information."]
    baclofen["openfda"]["manufacturer_name"] = ["Test Labeler A2"]


@pytest.fixture
def zipped(tmp_path) -> Path:
    """The labels with gaps as openFDA ships them: ``drug-label-0001-of-0001.json`` in a zip of the same name."""
    path = tmp_path / "drug-label-0001-of-0001.json.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(WITH_GAPS, WITH_GAPS.name)
    return path


# ---------------------------------------------------------------------------
# Acceptance 4: three labels imported twice are three draft guides


def test_three_labels_imported_twice_make_three_draft_guides_not_six(site_pages):
    out, err = run(THREE_LABELS)
    assert "Guides: 3 created, 0 updated, 0 unchanged, 0 skipped, 0 failed." in out
    assert "Products: 9 created, 0 updated, 0 unchanged." in out
    assert (
        "3 draft drug classes made from the labels' FDA pharmacologic class (describe and publish them, or move the "
        "guides): GABA-ergic Agonist, Central alpha-2 Adrenergic Agonist, Biguanide"
    ) in out
    assert err == ""
    guides = MedicinePage.objects.filter(label_set_id__in=[BACLOFEN, ZANAFLEX, METFORMIN])
    assert guides.count() == 3
    assert Product.objects.count() == 9
    revisions = sum(page.revisions.count() for page in guides)

    out, err = run(THREE_LABELS)

    assert "Guides: 0 created, 0 updated, 3 unchanged, 0 skipped, 0 failed." in out
    assert "Products: 0 created, 0 updated, 9 unchanged." in out
    assert MedicinePage.objects.count() == 3
    assert Product.objects.count() == 9
    assert Reference.objects.filter(kind=ReferenceKind.LABEL).count() == 3
    assert sum(page.revisions.count() for page in guides) == revisions
    assert err == ""


def test_nothing_is_published(site_pages, client):
    out, _ = run(THREE_LABELS)
    assert "All imported guides are drafts: nothing was published." in out
    for page in MedicinePage.objects.all():
        assert not page.live
        assert page.get_latest_revision() is not None  # a draft revision to review
        assert page.url and client.get(page.url).status_code == 404
    assert not DrugClassPage.objects.filter(live=True).exists()
    assert "Baclofen" not in client.get("/medicines/?letter=B").content.decode()


def test_a_guide_is_filled_from_its_label(site_pages):
    run(THREE_LABELS)

    baclofen = guide(BACLOFEN)
    assert (baclofen.title, baclofen.generic_name, baclofen.active_ingredients) == ("Baclofen", "baclofen", "baclofen")
    assert baclofen.brand_names == ""  # the label's brand name is its generic name
    assert baclofen.summary.startswith("Baclofen tablets are indicated for spasticity resulting from multiple")
    assert baclofen.how_to_take.startswith("<p>Start with 5 mg three times a day")
    assert "monosynaptic and polysynaptic reflexes" in baclofen.how_it_works
    assert baclofen.warnings.startswith("<p>Abrupt discontinuation: hallucinations and seizures")
    assert baclofen.pregnancy.startswith("Baclofen has been shown to increase the incidence of omphaloceles")
    assert baclofen.label_adverse_reactions.startswith("The most common adverse reaction is transient drowsiness")
    assert baclofen.label_interactions == "Additive CNS depression may occur with alcohol and other CNS depressants."
    assert baclofen.boxed_warning == ""
    assert (baclofen.legal_status, baclofen.controlled_schedule) == (LegalStatus.PRESCRIPTION, "")
    assert baclofen.label_version == "version 3 of 2025-01-15"
    # Label prose gives no frequency bands or severities: no structured rows are made up from it.
    assert not baclofen.side_effects.exists() and not baclofen.interactions.exists()
    assert (baclofen.drug_class.title, baclofen.drug_class.live) == ("GABA-ergic Agonist", False)

    tizanidine = guide(ZANAFLEX)
    assert (tizanidine.title, tizanidine.brand_names) == ("Tizanidine", "Zanaflex")
    assert "fluvoxamine or with ciprofloxacin" in tizanidine.label_interactions

    metformin = guide(METFORMIN)
    assert metformin.title == "Metformin hydrochloride"
    assert metformin.boxed_warning.startswith("WARNING: LACTIC ACIDOSIS Risk factors for metformin-associated")
    assert metformin.how_it_works == f"<p>{NOT_IN_LABEL}</p>"  # the label has no mechanism of action section
    assert metformin.pregnancy == ""


def test_the_label_is_the_guides_reference(site_pages):
    run(THREE_LABELS)
    baclofen = guide(BACLOFEN)
    [row] = baclofen.guide_references.all()
    reference = row.reference
    assert reference.kind == ReferenceKind.LABEL
    assert reference.title == "BACLOFEN tablet — prescribing information"
    assert reference.container == "DailyMed (U.S. National Library of Medicine)"
    assert reference.year == 2025
    assert reference.url == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={BACLOFEN}"
    assert reference.accessed == timezone.localdate()
    assert guide(ZANAFLEX).guide_references.get().reference.title == (
        "ZANAFLEX (tizanidine) capsule and tablet — prescribing information"
    )
    assert guide(METFORMIN).guide_references.get().reference.title == (
        "METFORMIN HYDROCHLORIDE extended-release tablet — prescribing information"
    )


def test_products_are_the_labels_forms_and_strengths_inactive_and_unpriced(site_pages):
    out, _ = run(THREE_LABELS)
    assert "New products are inactive, have no packs and are not sold until a pharmacist approves them" in out

    # Each package label panel names one NDC and one strength; the three RxCUIs do not say which is which.
    assert products(guide(BACLOFEN)) == {
        (DosageForm.TABLET, "5 mg"): ("00000-0101", ""),
        (DosageForm.TABLET, "10 mg"): ("00000-0102", ""),
        (DosageForm.TABLET, "20 mg"): ("00000-0103", ""),
    }
    assert products(guide(ZANAFLEX)) == {
        (DosageForm.CAPSULE, "2 mg"): ("", ""),
        (DosageForm.CAPSULE, "4 mg"): ("", ""),
        (DosageForm.CAPSULE, "6 mg"): ("", ""),
        (DosageForm.TABLET, "2 mg"): ("", ""),
        (DosageForm.TABLET, "4 mg"): ("", ""),
    }
    # One product, one NDC, one RxCUI: they belong together.
    assert products(guide(METFORMIN)) == {(DosageForm.EXTENDED_RELEASE_TABLET, "500 mg"): ("00000-0301", "9000301")}
    assert set(Product.objects.filter(medicine=guide(BACLOFEN)).values_list("manufacturer", flat=True)) == {
        "Test Labeler A"
    }
    assert not Product.objects.filter(active=True).exists()
    assert not Product.objects.available().exists()
    assert not Pack.objects.exists()


# ---------------------------------------------------------------------------
# Records with gaps, the zipped download


def test_records_missing_a_field_are_skipped_by_id_and_the_others_imported_from_the_zip(site_pages, zipped):
    out, err = run(zipped)

    assert "drug-label-0001-of-0001.json.zip › drug-label-0001-of-0001.json: 4 records" in out
    assert "Guides: 2 created, 0 updated, 0 unchanged, 2 skipped, 0 failed." in out
    assert (
        f"Skipped record 2 (set_id {NO_NAMES}, id {set_id(106)}): "
        "no generic name (openfda.generic_name or openfda.substance_name)"
    ) in err
    assert f"Skipped record 4 (no set_id, id {set_id(107)}, METHOCARBAMOL): no set_id" in err
    assert set(MedicinePage.objects.values_list("label_set_id", flat=True)) == {SOMA, GABLOFEN}

    carisoprodol = guide(SOMA)
    assert (carisoprodol.title, carisoprodol.brand_names) == ("Carisoprodol", "Soma")
    assert (carisoprodol.legal_status, carisoprodol.controlled_schedule) == (
        LegalStatus.CONTROLLED,
        ControlledSchedule.SCHEDULE_IV,
    )
    assert carisoprodol.warnings.startswith("<h3>Contraindications</h3><p>Acute intermittent porphyria.")
    assert "<h3>Warnings and precautions</h3><p>Sedation." in carisoprodol.warnings
    # The label names no pharmacologic class: the guide waits in a draft class for an editor to move it.
    assert (carisoprodol.drug_class.title, carisoprodol.drug_class.live) == ("Unclassified imports", False)
    assert set(products(carisoprodol)) == {(DosageForm.TABLET, "250 mg"), (DosageForm.TABLET, "350 mg")}

    intrathecal = guide(GABLOFEN)
    assert intrathecal.boxed_warning.startswith("WARNING: ABRUPT DISCONTINUATION")
    assert not Product.objects.filter(medicine=intrathecal).exists()
    assert (
        f"No product for record 3 (set_id {GABLOFEN}, id {set_id(105)}, BACLOFEN): "
        "route intrathecal: the catalogue sells oral forms only"
    ) in out


# ---------------------------------------------------------------------------
# Re-importing


def test_a_new_label_version_updates_the_draft_in_a_new_revision(site_pages, tmp_path):
    run(THREE_LABELS)
    baclofen = guide(BACLOFEN)
    revisions = baclofen.revisions.count()

    out, _ = run(edited(tmp_path, new_baclofen_version))

    assert "Guides: 0 created, 1 updated, 2 unchanged, 0 skipped, 0 failed." in out
    assert "Products: 0 created, 3 updated, 6 unchanged." in out
    baclofen.refresh_from_db()
    assert not baclofen.live
    assert baclofen.revisions.count() == revisions + 1
    assert baclofen.how_to_take == "<p>See full prescribing information.</p>"
    assert baclofen.get_latest_revision_as_object().how_to_take == "<p>See full prescribing information.</p>"
    assert baclofen.label_version == "version 4 of 2025-06-01"
    assert baclofen.guide_references.count() == 1
    assert MedicinePage.objects.count() == 3 and Product.objects.count() == 9
    assert set(Product.objects.filter(medicine=baclofen).values_list("manufacturer", flat=True)) == {"Test Labeler A2"}


def test_a_live_guide_is_not_overwritten_but_gets_a_draft_revision(site_pages, tmp_path, client):
    run(THREE_LABELS)
    baclofen = guide(BACLOFEN)
    revision = baclofen.get_latest_revision()
    approve_revision(revision, approving_pharmacist())  # an imported guide goes live only as a pharmacist approves it
    revision.publish()
    baclofen.refresh_from_db()
    assert baclofen.live

    out, _ = run(edited(tmp_path, new_baclofen_version))

    assert "1 live guide got a new draft revision to review (the site still shows the published version)" in out
    baclofen.refresh_from_db()
    assert baclofen.live and baclofen.has_unpublished_changes
    assert baclofen.how_to_take.startswith("<p>Start with 5 mg")  # the published guide is unchanged
    assert baclofen.label_version == "version 3 of 2025-01-15"
    draft = baclofen.get_latest_revision_as_object()
    assert draft.how_to_take == "<p>See full prescribing information.</p>"
    assert draft.label_version == "version 4 of 2025-06-01"
    page = client.get(baclofen.url).content.decode()
    assert "Start with 5 mg three times a day" in page


def test_an_editors_draft_survives_importing_the_same_label_but_not_force(site_pages):
    run(THREE_LABELS)
    draft = guide(BACLOFEN).get_latest_revision_as_object()
    draft.summary = "Baclofen relaxes muscles stiffened by multiple sclerosis."
    draft.save_revision()

    out, _ = run(THREE_LABELS)
    assert "0 updated, 3 unchanged" in out
    assert guide(BACLOFEN).get_latest_revision_as_object().summary == draft.summary

    out, _ = run(THREE_LABELS, force=True)
    assert "Guides: 0 created, 1 updated, 2 unchanged" in out
    assert guide(BACLOFEN).get_latest_revision_as_object().summary.startswith("Baclofen tablets are indicated")


# ---------------------------------------------------------------------------
# Errors


def test_a_failing_record_is_named_and_rolled_back_and_the_others_imported(site_pages, tmp_path):
    def overlong_name(records):
        records[METFORMIN]["openfda"]["generic_name"] = ["METFORMIN HYDROCHLORIDE " * 6]

    out, err = run_failing(
        edited(tmp_path, overlong_name), match="1 record failed: see the messages above. The other records were"
    )

    assert f"Failed record 3 (set_id {METFORMIN}, id {set_id(103)}, METFORMIN HYDROCHLORIDE" in err
    assert "generic_name: Ensure this value has at most 120 characters" in err
    assert "Guides: 2 created, 0 updated, 0 unchanged, 0 skipped, 1 failed." in out
    assert set(MedicinePage.objects.values_list("label_set_id", flat=True)) == {BACLOFEN, ZANAFLEX}
    assert not Reference.objects.filter(url__endswith=METFORMIN).exists()  # its reference was rolled back too


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("labels.json", b'{"results": [', "not JSON (Expecting value at line 1, column 14)"),
        ("labels.json", b'{"meta": {}}', "no “results” list, so not an openFDA drug label file"),
        ("labels.json", b"\xff\xfe\x00", "not JSON"),
        ("drug-label-0001-of-0001.json.zip", b"not a zip", "not a readable zip file"),
        ("labels.json", b"[" * 100_000, "nested too deeply"),
    ],
)
def test_a_bad_file_is_named_and_the_other_files_imported(site_pages, tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)

    out, err = run_failing(bad, THREE_LABELS, match="1 file could not be read")

    assert f"Cannot import {bad}: {message}" in err
    assert "Guides: 3 created" in out


def test_a_zip_without_json_is_named(site_pages, tmp_path):
    path = tmp_path / "labels.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "no labels here")
    _, err = run_failing(path, match="1 file could not be read")
    assert f"Cannot import {path}: the zip holds no .json file" in err


def test_a_missing_file_stops_the_import_before_anything_is_imported(site_pages, tmp_path):
    run_failing(THREE_LABELS, tmp_path / "nowhere.json", match=r"No such file: .*nowhere\.json\. Nothing was imported")
    assert not MedicinePage.objects.exists()


def test_without_the_site_pages_nothing_is_imported(site_pages):
    from medicines.models import DrugClassIndexPage, MedicineIndexPage

    for index in (*MedicineIndexPage.objects.all(), *DrugClassIndexPage.objects.all()):
        index.delete()  # rolled back after the test, like everything it does
    run_failing(THREE_LABELS, match="The site has no Medicines A–Z and Drug classes pages")
    assert not MedicinePage.objects.exists()


# ---------------------------------------------------------------------------
# Progress


def test_progress_is_a_line_per_hundred_records_in_a_log(site_pages, tmp_path):
    path = tmp_path / "many.json"
    record = {"id": set_id(900), "openfda": {"generic_name": ["BACLOFEN"]}}  # no set_id: skipped quickly
    path.write_text(json.dumps({"meta": {}, "results": [record] * 250}))

    out, err = run(path)

    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert lines == [
        "[####      ] 100/250 many.json",
        "[########  ] 200/250 many.json",
        "[##########] 250/250 many.json",
    ]
    assert len(err.splitlines()) == 250 and err.splitlines()[-1].startswith("Skipped record 250 (no set_id, id ")
    assert "250 skipped" in out


class TerminalOutput(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_redrawn_on_a_terminal(site_pages):
    out = TerminalOutput()
    call_command("import_openfda", str(THREE_LABELS), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "\r[###       ] 1/3 drug-label-three-records.json\r[#######   ] 2/3" in text
    assert "\r[##########] 3/3 drug-label-three-records.json\n" in text


# ---------------------------------------------------------------------------
# Reading labels


def test_strengths_belong_to_the_form_named_before_them():
    tablet, capsule = FormMention(DosageForm.TABLET, "tablet"), FormMention(DosageForm.CAPSULE, "capsule")
    assert forms_and_strengths("Zanaflex Capsules: 2 mg, 4 mg, and 6 mg. Zanaflex tablets: 2 mg and 4 mg.") == [
        (capsule, "2 mg"),
        (capsule, "4 mg"),
        (capsule, "6 mg"),
        (tablet, "2 mg"),
        (tablet, "4 mg"),
    ]
    assert forms_and_strengths("Capsules: 25, 50 and 100 mg") == [
        (capsule, "25 mg"),
        (capsule, "50 mg"),
        (capsule, "100 mg"),
    ]
    assert forms_and_strengths("Tablets: 500 mg, 850 mg, and 1,000 mg")[-1] == (tablet, "1000 mg")
    solution = FormMention(DosageForm.ORAL_SOLUTION, "oral solution")
    assert forms_and_strengths("Oral solution: 5 mg/5 mL") == [(solution, "5 mg/5 mL")]
    assert forms_and_strengths("10 mg", default=tablet) == [(tablet, "10 mg")]


def test_section_headings_are_dropped_but_not_the_words_after_them():
    label = parse_label(
        {
            "set_id": BACLOFEN,
            "openfda": {"generic_name": ["TIZANIDINE"]},
            "pregnancy": ["Pregnancy Category C. See full prescribing information."],
            "indications_and_usage": ["1 INDICATIONS AND USAGE Tizanidine is indicated for spasticity."],
        }
    )
    assert label.section("pregnancy") == ["Pregnancy Category C. See full prescribing information."]
    assert label.section("indications_and_usage") == ["Tizanidine is indicated for spasticity."]


def test_a_form_the_catalogue_does_not_sell_is_reported_and_not_taken_for_another():
    label = parse_label(
        {
            "set_id": set_id(900),
            "openfda": {"generic_name": ["EXAMPLE"], "route": ["ORAL"]},
            "dosage_forms_and_strengths": ["Chewable tablets: 5 mg. Tablets: 10 mg."],
        }
    )
    specs, problems = product_specs(label)
    assert [(spec.form, spec.strength) for spec in specs] == [(DosageForm.TABLET, "10 mg")]
    assert problems == ["5 mg chewable tablets: not a form the catalogue sells"]
