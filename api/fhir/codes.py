"""The code systems FHIR resources here use, and the codes checked for each of our values."""

from __future__ import annotations

from django.conf import settings

from catalogue.models import DosageForm
from medicines.models import ControlledSchedule

NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED_SYSTEM = "http://snomed.info/sct"
UCUM_SYSTEM = "http://unitsofmeasure.org"
NCI_THESAURUS_SYSTEM = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"

MEDICINES_REGULATOR = "U.S. Food and Drug Administration"
CONTROLLED_SUBSTANCES_REGULATOR = "U.S. Drug Enforcement Administration"

# SNOMED CT pharmaceutical dose forms (code, preferred term).
DOSE_FORM_SNOMED = {
    DosageForm.TABLET: ("421026006", "Oral tablet"),
    DosageForm.ODT: ("447079001", "Orodispersible tablet"),
    DosageForm.EXTENDED_RELEASE_TABLET: ("385060002", "Prolonged-release oral tablet"),
    DosageForm.CAPSULE: ("420692007", "Oral capsule"),
    DosageForm.EXTENDED_RELEASE_CAPSULE: ("385053008", "Prolonged-release oral capsule"),
    DosageForm.ORAL_SOLUTION: ("385023001", "Oral solution"),
    DosageForm.ORAL_SUSPENSION: ("385024007", "Oral suspension"),
}

# The unit a pack is counted in (catalogue.models.UNIT_NAMES), coded where a code could be checked:
# SNOMED CT units of presentation for tablets and capsules, UCUM for millilitres; packets are text only.
UNIT_CODES = {
    "tablet": (SNOMED_SYSTEM, "732936001"),
    "capsule": (SNOMED_SYSTEM, "732937005"),
    "mL": (UCUM_SYSTEM, "mL"),
}

# Units a label strength is written in (lower case), with their UCUM codes.
MASS_UNITS = {"mg": "mg", "g": "g", "mcg": "ug", "µg": "ug", "μg": "ug", "ug": "ug"}
VOLUME_UNITS = {"ml": "mL", "l": "L"}

# FDA "SPL DEA Schedule" data standard: the NCI Thesaurus code of each schedule.
DEA_SCHEDULE_CODES = {
    ControlledSchedule.SCHEDULE_II: "C48675",
    ControlledSchedule.SCHEDULE_III: "C48676",
    ControlledSchedule.SCHEDULE_IV: "C48677",
    ControlledSchedule.SCHEDULE_V: "C48679",
}


def local_system(name: str) -> str:
    """A code system URI of this pharmacy's own, under its public base URL."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/sid/{name}"


SKU_SYSTEM_NAME = "sku"
DOSE_FORM_SYSTEM_NAME = "dose-form"
