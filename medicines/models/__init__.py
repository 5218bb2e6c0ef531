"""Medicine guides as structured data, and the drug classes that group them.

- ``choices``: legal status, schedule, frequency bands, severities, evidence strength;
- ``guide``: the guide (``MedicinePage``), its tags and queryset; ``forms`` its edit form; ``audit`` what it shows
  the content audit;
- ``rows``: its cited rows (uses, side effects, interactions, who should not take it, serious side effects that need
  help now, off-label uses, studies), reference list and "see also" picks;
- ``approval``: a pharmacist's approval of a revision (``GuideApproval``);
- ``screening``: the screening classes a medicine belongs to, and a pharmacy medicine's checkout questions;
- ``classes`` and ``index``: the drug class pages and the A–Z index.
"""

from medicines.models.approval import GuideApproval
from medicines.models.choices import (
    ControlledSchedule,
    EvidenceStrength,
    FrequencyBand,
    InteractionSeverity,
    LegalStatus,
)
from medicines.models.classes import DrugClassIndexPage, DrugClassPage
from medicines.models.forms import MedicinePageForm
from medicines.models.guide import MedicinePage, MedicinePageQuerySet, MedicinePageTag
from medicines.models.index import MedicineIndexPage
from medicines.models.rows import (
    PERCENT_VALIDATORS,
    CitedRow,
    Contraindication,
    GuideReference,
    Indication,
    Interaction,
    OffLabelUse,
    SeeAlsoLink,
    SideEffect,
    Study,
    UrgentSign,
)
from medicines.models.screening import ClassMembership, PharmacyQuestion, QuestionKind, ScreeningClass

__all__ = [
    "PERCENT_VALIDATORS",
    "CitedRow",
    "ClassMembership",
    "Contraindication",
    "ControlledSchedule",
    "DrugClassIndexPage",
    "DrugClassPage",
    "EvidenceStrength",
    "FrequencyBand",
    "GuideApproval",
    "GuideReference",
    "Indication",
    "Interaction",
    "InteractionSeverity",
    "LegalStatus",
    "MedicineIndexPage",
    "MedicinePage",
    "MedicinePageForm",
    "MedicinePageQuerySet",
    "MedicinePageTag",
    "OffLabelUse",
    "PharmacyQuestion",
    "QuestionKind",
    "ScreeningClass",
    "SeeAlsoLink",
    "SideEffect",
    "Study",
    "UrgentSign",
]
