"""The triage rules (``discussion.triage``) on reader text: a labelled corpus written for these tests, and the
behaviours the rules promise (negation, misspellings, questions about a risk, the reason given)."""

from collections import Counter

import pytest

from discussion.models import Concern
from discussion.tests.triage_corpus import CORPUS, LISTS
from discussion.triage import spelled, triage

# Floors for the whole corpus (both lists): every emergency is caught; for the other labels a pharmacist's queue
# stays trustworthy (precision) and few concerns slip through unlabelled (recall).
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.85


def concerns(text: str) -> set[str]:
    return {finding.concern for finding in triage(text)}


def scores(corpus):
    """Per label: (true positives, false positives, false negatives)."""
    found = Counter()
    for text, expected in corpus:
        got = concerns(text)
        for label in Concern.values:
            if label in got and label in expected:
                found[label, "tp"] += 1
            elif label in got:
                found[label, "fp"] += 1
            elif label in expected:
                found[label, "fn"] += 1
    return {label: (found[label, "tp"], found[label, "fp"], found[label, "fn"]) for label in Concern.values}


def test_the_corpus_is_large_and_varied_enough():
    corpus = CORPUS
    assert len(corpus) >= 40
    assert len({text for text, _ in corpus}) == len(corpus)
    for label in Concern.values:
        assert sum(label in expected for _, expected in corpus) >= 5, label
    assert sum(not expected for _, expected in corpus) >= 10


@pytest.mark.parametrize(
    ("text", "expected"), [(text, expected) for text, expected in CORPUS if Concern.EMERGENCY in expected]
)
def test_every_emergency_is_caught(text, expected):
    assert Concern.EMERGENCY in concerns(text)


def test_precision_and_recall_per_label(capsys):
    lines = ["label         precision        recall"]
    failures = []
    for name, corpus in (*LISTS.items(), ("all", CORPUS)):
        lines.append(f"-- {name} ({len(corpus)} texts)")
        for label, (tp, fp, fn) in scores(corpus).items():
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            lines.append(f"{label:12}  {tp:2}/{tp + fp:2} = {precision:.2f}   {tp:2}/{tp + fn:2} = {recall:.2f}")
            if name == "all" and (precision < PRECISION_FLOOR or recall < RECALL_FLOOR):
                failures.append(label)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert failures == []


@pytest.mark.parametrize(
    "text",
    [
        "No side effects so far.",
        "I haven't had any headaches on it.",
        "It didn't make me drowsy at all",
        "I've been on it for months without any nausea",
    ],
)
def test_a_negated_symptom_is_not_a_report(text):
    assert Concern.SIDE_EFFECT not in concerns(text)


def test_the_same_symptom_told_as_happening_is_a_report():
    assert Concern.SIDE_EFFECT in concerns("I've had headaches every day since I started it")


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("Is it safe if I'm pregnent?", Concern.PREGNANCY),
        ("can I drink alcahol on it", Concern.MIXING),
        ("my son had a siezure after his dose", Concern.EMERGENCY),
        ("she is unconcious and won't answer", Concern.EMERGENCY),
        ("I keep getting dizzyness since I started", Concern.SIDE_EFFECT),
    ],
)
def test_common_misspellings_are_read(text, concern):
    assert concern in concerns(text)


def test_short_words_are_never_read_as_others():
    assert spelled("does") == "does" and spelled("dose") == "dose"
    assert spelled("pregant") == "pregnant" and spelled("alchohol") == "alcohol"
    assert spelled("tablet") == "tablet" and spelled("reactions") == "reactions"  # plurals are not misspellings


@pytest.mark.parametrize(
    "text",
    [
        "Can it cause seizures?",
        "Does this cause swelling of the face? The leaflet mentions it.",
        "I had a fit of giggles reading the leaflet",
        "Is there a risk of breathing problems?",
    ],
)
def test_a_question_about_a_risk_or_a_look_alike_is_not_an_emergency(text):
    assert Concern.EMERGENCY not in concerns(text)


def test_self_harm_always_counts_even_asked_about_or_negated():
    assert Concern.EMERGENCY in concerns("Can it cause suicidal thoughts?")
    assert Concern.EMERGENCY in concerns("I don't want to live like this")


def test_case_punctuation_and_curly_apostrophes_do_not_matter():
    assert concerns("CAN’T BREATHE!!! after the 2nd tablet") == concerns("cant breathe after the 2nd tablet")
    assert Concern.EMERGENCY in concerns("CAN’T BREATHE!!!")


def test_findings_are_ordered_by_urgency_and_say_why():
    findings = triage("I'm pregnant and took too many by mistake")
    assert [finding.concern for finding in findings][0] == Concern.EMERGENCY
    assert findings[0].reason == "took too many"
    assert {finding.concern for finding in findings} >= {Concern.EMERGENCY, Concern.PREGNANCY}


@pytest.mark.parametrize("text", ["", "   ", "?!.", "🙂🙂", "x" * 3000])
def test_empty_or_odd_text_holds_nothing(text):
    assert triage(text) == []
