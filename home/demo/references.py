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
    # -- UK patient information ---------------------------------------------
    "nhs-baclofen": dict(
        kind="web",
        authors="NHS",
        title="Baclofen",
        container="NHS website",
        url="https://www.nhs.uk/medicines/baclofen/",
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
