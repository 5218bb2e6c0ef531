"""Crossref and PubMed answers in the services' real JSON formats, for the fake sources."""

CHOU_DOI = "10.1016/j.jpainsymman.2004.05.002"
CHOU_PMID = "15276195"
CHOU_TITLE = (
    "Comparative efficacy and safety of skeletal muscle relaxants for spasticity and musculoskeletal "
    "conditions: a systematic review"
)
WAKEFIELD_DOI = "10.1016/S0140-6736(97)11096-0"


def crossref_work(**overrides) -> dict:
    """A /works/{doi} answer as Crossref gives it (trimmed to the fields that matter, plus some that don't)."""
    message = {
        "indexed": {"date-parts": [[2024, 3, 1]], "date-time": "2024-03-01T10:00:00Z", "timestamp": 1709287200000},
        "reference-count": 120,
        "publisher": "Elsevier BV",
        "issue": "2",
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": ["Journal of Pain and Symptom Management"],
        "published-print": {"date-parts": [[2004, 8]]},
        "DOI": CHOU_DOI,
        "type": "journal-article",
        "created": {"date-parts": [[2004, 7, 27]], "date-time": "2004-07-27T12:00:00Z", "timestamp": 1090929600000},
        "page": "140-175",
        "source": "Crossref",
        "title": [CHOU_TITLE],
        "prefix": "10.1016",
        "volume": "28",
        "author": [
            {"given": "Roger", "family": "Chou", "sequence": "first", "affiliation": []},
            {"given": "Kim", "family": "Peterson", "sequence": "additional", "affiliation": []},
            {"given": "Mark", "family": "Helfand", "sequence": "additional", "affiliation": []},
        ],
        "member": "78",
        "container-title": ["Journal of Pain and Symptom Management"],
        "language": "en",
        "issued": {"date-parts": [[2004, 8]]},
        "ISSN": ["0885-3924"],
        "URL": "https://doi.org/10.1016/j.jpainsymman.2004.05.002",
    }
    message.update(overrides)
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}


def retracted_work() -> dict:
    return crossref_work(
        DOI=WAKEFIELD_DOI,
        title=[
            "RETRACTED: Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental "
            "disorder in children"
        ],
        author=[{"given": "AJ", "family": "Wakefield", "sequence": "first", "affiliation": []}],
        **{
            "container-title": ["The Lancet"],
            "short-container-title": ["The Lancet"],
            "issued": {"date-parts": [[1998, 2]]},
            "update-to": [
                {
                    "updated": {"date-parts": [[2010, 2, 6]], "timestamp": 1265414400000},
                    "DOI": "10.1016/s0140-6736(97)11096-0",
                    "type": "retraction",
                    "source": "publisher",
                    "label": "Retraction",
                }
            ],
        },
    )


def pubmed_summary(pmid: str = CHOU_PMID, **overrides) -> dict:
    """An esummary.fcgi?db=pubmed&retmode=json answer as NCBI gives it (trimmed)."""
    record = {
        "uid": pmid,
        "pubdate": "2004 Aug",
        "epubdate": "",
        "source": "J Pain Symptom Manage",
        "authors": [
            {"name": "Chou R", "authtype": "Author", "clusterid": ""},
            {"name": "Peterson K", "authtype": "Author", "clusterid": ""},
            {"name": "Helfand M", "authtype": "Author", "clusterid": ""},
        ],
        "lastauthor": "Helfand M",
        "title": CHOU_TITLE + ".",
        "sorttitle": "comparative efficacy and safety of skeletal muscle relaxants",
        "volume": "28",
        "issue": "2",
        "pages": "140-75",
        "lang": ["eng"],
        "nlmuniqueid": "8605836",
        "issn": "0885-3924",
        "essn": "",
        "pubtype": ["Journal Article", "Review", "Systematic Review"],
        "articleids": [
            {"idtype": "pubmed", "idtypen": 1, "value": pmid},
            {"idtype": "doi", "idtypen": 3, "value": CHOU_DOI},
        ],
        "fulljournalname": "Journal of pain and symptom management",
        "sortpubdate": "2004/08/01 00:00",
    }
    record.update(overrides)
    return {"header": {"type": "esummary", "version": "0.3"}, "result": {"uids": [pmid], pmid: record}}


def pubmed_unknown(pmid: str) -> dict:
    return {
        "header": {"type": "esummary", "version": "0.3"},
        "result": {"uids": [pmid], pmid: {"uid": pmid, "error": "cannot get document summary"}},
    }


# The United Kingdom Tizanidine Trial Group's paper (Neurology 1994;44(11 Suppl 9):S70-8, PMID 7970014, in the
# fact sheets), as PubMed's record gives it: the group named in a sentence after the title, no personal authors.
UK_TIZANIDINE_PMID = "7970014"
UK_TIZANIDINE_TITLE = (
    "A double-blind, placebo-controlled trial of tizanidine in the treatment of spasticity caused by multiple sclerosis"
)


def uk_tizanidine_summary() -> dict:
    """PubMed's esummary for PMID 7970014 (trimmed): the title ends with the group's sentence."""
    return pubmed_summary(
        UK_TIZANIDINE_PMID,
        pubdate="1994 Nov",
        source="Neurology",
        fulljournalname="Neurology",
        authors=[],
        lastauthor="",
        title=UK_TIZANIDINE_TITLE + ". United Kingdom Tizanidine Trial Group.",
        volume="44",
        issue="11 Suppl 9",
        pages="S70-8",
        pubtype=["Clinical Trial", "Journal Article", "Multicenter Study", "Randomized Controlled Trial"],
        articleids=[{"idtype": "pubmed", "idtypen": 1, "value": UK_TIZANIDINE_PMID}],
    )
