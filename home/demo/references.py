"""The sources the demo content cites, keyed by a short name used in the other modules.

Papers are cited only with the DOI or PMID recorded in the fact sheet. Labels with
no recorded DailyMed set id point at the DailyMed search for the drug; regulatory
notices point at the official Federal Register citation or, where no official
address was recorded, at the DailyMed search for the drug.
"""

from datetime import date

ACCESSED = date(2026, 11, 1)
DAILYMED = "DailyMed, U.S. National Library of Medicine"


def dailymed_search(name: str) -> str:
    return f"https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query={name}"


def _label(title: str, query: str) -> dict:
    return dict(kind="label", title=title, container=DAILYMED, url=dailymed_search(query), accessed=ACCESSED)


def _dailymed_set(title: str, set_id: str) -> dict:
    """An over-the-counter label at its DailyMed page, by the set id the fact sheet gives."""
    return dict(
        kind="label",
        title=title,
        container=DAILYMED,
        url=f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}",
        accessed=ACCESSED,
    )


REFERENCES: dict[str, dict] = {
    # -- product labels ----------------------------------------------------
    "label-baclofen": _label("Baclofen tablets: prescribing information (DailyMed)", "baclofen"),
    "label-lyvispah": _label("Lyvispah (baclofen) oral granules: prescribing information (DailyMed)", "lyvispah"),
    "label-gablofen": _label("Gablofen (intrathecal baclofen): prescribing information (DailyMed)", "gablofen"),
    "label-tizanidine": _label(
        "Zanaflex (tizanidine) tablets and capsules: prescribing information (DailyMed)", "tizanidine"
    ),
    "label-cyclobenzaprine": _label("Cyclobenzaprine tablets: prescribing information (DailyMed)", "cyclobenzaprine"),
    "label-methocarbamol": _label("Methocarbamol tablets: prescribing information (DailyMed)", "methocarbamol"),
    "label-dantrolene": _label("Dantrolene sodium capsules: prescribing information (DailyMed)", "dantrolene"),
    "label-carisoprodol": _label(
        "Soma (carisoprodol) tablets, Meda: prescribing information (DailyMed)", "carisoprodol"
    ),
    "label-metformin": _label("Metformin tablets: prescribing information (DailyMed)", "metformin"),
    "label-atorvastatin": _label("Atorvastatin tablets: prescribing information (DailyMed)", "atorvastatin"),
    # -- over-the-counter labels (Drug Facts), by their DailyMed set id ----------
    "label-motrin-ib": _dailymed_set(
        "Motrin IB (ibuprofen) tablets, film coated: Drug Facts label, updated 2019-07-11",
        "8d6fe91b-49d1-1af2-e053-2995a90a1777",
    ),
    "label-ibuprofen-260f": _dailymed_set(
        "Ibuprofen tablets, film coated: Drug Facts label, updated 2024-01-18", "260f5862-d65d-4c34-bf53-26ca30806a67"
    ),
    "label-ibuprofen-25f9": _dailymed_set(
        "Ibuprofen tablets: Drug Facts label, effective 2024-01-25", "25f9531b-e674-4c72-af42-ea0ad0a4a706"
    ),
    "label-ibuprofen-0402": _dailymed_set(
        "Ibuprofen tablets (Casey's): Drug Facts label, openFDA set id 0402556a-25f8-7afc-e063-6294a90a77ce",
        "0402556a-25f8-7afc-e063-6294a90a77ce",
    ),
    "label-ibuprofen-nucare": dict(
        kind="label",
        title="FDA Label for Ibuprofen (Nucare), NDC 66267-115",
        container="NDCList",
        url="https://ndclist.com/ndc/66267-115/label",
        accessed=ACCESSED,
    ),
    "label-claritin-2019": _dailymed_set(
        "Claritin (loratadine) tablets: Drug Facts label, updated 2019-07-10", "8d59f35f-9b84-def8-e053-2995a90aaba7"
    ),
    "label-claritin-2022": _dailymed_set(
        "Claritin (loratadine) tablets, Bayer HealthCare LLC: Drug Facts label, updated 2022-06-07",
        "677bf76d-e75d-4212-b1f2-eaaf25b27cb7",
    ),
    "fda-nsaids-pregnancy-2020": dict(
        kind="guideline",
        authors="U.S. Food and Drug Administration",
        title="FDA Drug Safety Communication (15 October 2020): FDA recommends avoiding use of NSAIDs in pregnancy at "
        "20 weeks or later because they can result in low amniotic fluid",
        container="U.S. Food and Drug Administration",
        year=2020,
        url="https://www.fda.gov/drugs/drug-safety-and-availability/fda-recommends-avoiding-use-nsaids-pregnancy-20-"
        "weeks-or-later-because-they-can-result-low-amniotic",
        accessed=ACCESSED,
    ),
    # -- UK patient information ---------------------------------------------
    "nhs-baclofen": dict(
        kind="web",
        authors="NHS",
        title="Baclofen",
        container="NHS website",
        url="https://www.nhs.uk/medicines/baclofen/",
        accessed=ACCESSED,
    ),
    "nhs-ibuprofen-how": dict(
        kind="web",
        authors="NHS",
        title="How and when to take ibuprofen (ibuprofen for adults)",
        container="NHS website",
        url="https://www.nhs.uk/medicines/ibuprofen-for-adults/how-and-when-to-take-ibuprofen/",
        accessed=ACCESSED,
    ),
    "nhs-loratadine-how": dict(
        kind="web",
        authors="NHS",
        title="How and when to take loratadine",
        container="NHS website",
        url="https://www.nhs.uk/medicines/loratadine/how-and-when-to-take-loratadine/",
        accessed=ACCESSED,
    ),
    "nhs-loratadine-pregnancy": dict(
        kind="web",
        authors="NHS",
        title="Pregnancy, breastfeeding and fertility while taking loratadine",
        container="NHS website",
        url="https://www.nhs.uk/medicines/loratadine/pregnancy-breastfeeding-and-fertility-while-taking-loratadine/",
        accessed=ACCESSED,
    ),
    # -- regulatory notices ---------------------------------------------------
    "dea-carisoprodol-2011": dict(
        kind="guideline",
        authors="Drug Enforcement Administration",
        title="Schedules of Controlled Substances: Placement of Carisoprodol Into Schedule IV",
        container="Fed Regist",
        year=2011,
        volume="76(238)",
        pages="77330-60",
    ),
    "fda-metformin-2016": dict(
        kind="guideline",
        authors="U.S. Food and Drug Administration",
        title="FDA Drug Safety Communication (8 April 2016): revised warnings for metformin in reduced kidney function",
        container="U.S. Food and Drug Administration",
        year=2016,
    ),
    "fda-statins-pregnancy-2021": dict(
        kind="guideline",
        authors="U.S. Food and Drug Administration",
        title="FDA Drug Safety Communication (20 July 2021): statins in pregnancy",
        container="U.S. Food and Drug Administration",
        year=2021,
    ),
    # -- papers ------------------------------------------------------------------
    "otero-romero-2016": dict(
        kind="article",
        authors="Otero-Romero S, et al.",
        title="Pharmacological management of spasticity in MS: systematic review and consensus paper",
        container="Mult Scler",
        year=2016,
        volume="22(11)",
        pages="1386-96",
        doi="10.1177/1352458516643600",
        pmid="27207462",
    ),
    "paisley-2002": dict(
        kind="article",
        authors="Paisley S, et al.",
        title="Clinical effectiveness of oral treatments for spasticity in multiple sclerosis: a systematic review",
        container="Mult Scler",
        year=2002,
        volume="8(4)",
        pages="319-29",
        doi="10.1191/1352458502ms795rr",
    ),
    "agabio-2023": dict(
        kind="article",
        authors="Agabio R, et al.",
        title="Baclofen for alcohol use disorder",
        container="Cochrane Database Syst Rev",
        year=2023,
        pages="CD012557",
        doi="10.1002/14651858.CD012557.pub3",
    ),
    "chou-2004": dict(
        kind="article",
        authors="Chou R, Peterson K, Helfand M",
        title=(
            "Comparative efficacy and safety of skeletal muscle relaxants for spasticity and musculoskeletal "
            "conditions: a systematic review"
        ),
        container="J Pain Symptom Manage",
        year=2004,
        volume="28(2)",
        pages="140-75",
        doi="10.1016/j.jpainsymman.2004.05.002",
        pmid="15276195",
    ),
    "browning-2001": dict(
        kind="article",
        authors="Browning R, Jackson JL, O'Malley PG",
        title="Cyclobenzaprine and back pain: a meta-analysis",
        container="Arch Intern Med",
        year=2001,
        volume="161(13)",
        pages="1613-20",
        doi="10.1001/archinte.161.13.1613",
        pmid="11434793",
    ),
    "postgrad-med-2010": dict(
        kind="article",
        title=(
            "Efficacy and tolerability of cyclobenzaprine extended release for acute muscle spasm: a pooled analysis"
        ),
        container="Postgrad Med",
        year=2010,
        volume="122(4)",
        pages="158-69",
        doi="10.3810/pgm.2010.07.2182",
        pmid="20675978",
    ),
    "science-1976": dict(
        kind="article",
        title="Calcium release from skeletal muscle sarcoplasmic reticulum: site of action of dantrolene sodium",
        container="Science",
        year=1976,
        volume="193(4258)",
        pages="1130-1",
        doi="10.1126/science.959824",
    ),
}
