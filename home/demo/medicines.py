"""Drug classes, medicine guides and their products, as plain data.

Every row that carries a figure names the key of its source in ``references.py``;
each guide lists its references in order (that order gives the numbers shown).
Side-effect figures are the label's, exactly; a label without frequencies gives
the band ``not_known`` and no percentages. Fields the fact sheet marks as not
verified (or as written from memory) are left empty or out.
"""

DRUG_CLASSES = [
    dict(
        slug="skeletal-muscle-relaxants",
        title="Skeletal muscle relaxants",
        description=(
            "Medicines used for muscle spasm or for spasticity. Most act on the central nervous system, "
            "such as baclofen, tizanidine, methocarbamol and carisoprodol; dantrolene acts directly on "
            "skeletal muscle."
        ),
    ),
    dict(
        slug="biguanides",
        title="Biguanides (diabetes medicines)",
        description=(
            "Biguanides such as metformin are used with diet and exercise to control blood glucose in type 2 "
            "diabetes. They decrease glucose production by the liver and glucose absorption from the gut, and "
            "improve insulin sensitivity."
        ),
    ),
    dict(
        slug="nsaids",
        title="Non-steroidal anti-inflammatory drugs (NSAIDs)",
        description=(
            "Non-steroidal anti-inflammatory drugs (NSAIDs), such as ibuprofen. Ibuprofen tablets are sold over "
            "the counter as a pain reliever and fever reducer."
        ),
    ),
    dict(
        slug="antihistamines",
        title="Antihistamines",
        description=(
            "Antihistamines, such as loratadine, temporarily relieve the symptoms of hay fever and other upper "
            "respiratory allergies: a runny nose, sneezing, itchy and watery eyes, and an itchy nose or throat."
        ),
    ),
    dict(
        slug="statins",
        title="Statins",
        description=(
            "Statins, such as atorvastatin, inhibit the enzyme HMG-CoA reductase. They are used with diet to "
            "lower LDL cholesterol and other blood lipids."
        ),
    ),
]


# The classes of medicines that interaction rows name and clinical screening matches (medicines.ScreeningClass).
# Memberships are only those the guides' sources state; a row naming a class matches every member of it.
SCREENING_CLASSES = [
    dict(
        key="cns-depressants",
        name="CNS depressants",
        other_names="central nervous system depressants",
        description="Medicines that slow the central nervous system and cause drowsiness or sedation; their "
        "effects add up with each other and with alcohol.",
    ),
    dict(
        key="alpha-2-agonists",
        name="Alpha-2 adrenergic agonists",
        other_names="alpha-2-adrenergic agonists, alpha-2 agonists",
        description="Medicines that act on alpha-2 adrenergic receptors, such as tizanidine.",
    ),
    dict(
        key="serotonergic",
        name="Serotonergic medicines",
        other_names="serotonergic drugs",
        description="Medicines that raise serotonin activity; together they risk serotonin syndrome.",
    ),
    dict(
        key="anticholinergics",
        name="Anticholinergics",
        other_names="anticholinergic medicines",
        description="Medicines with anticholinergic effects (e.g. urinary retention, raised eye pressure).",
    ),
    dict(
        key="mao-inhibitors",
        name="MAO inhibitors",
        other_names="monoamine oxidase inhibitors, MAOIs",
        description="Monoamine oxidase inhibitors.",
    ),
]


def side_effect(effect, frequency, low, high, note, reference):
    return dict(effect=effect, frequency=frequency, percent_low=low, percent_high=high, note=note, reference=reference)


def interaction(substance, severity, effect, reference, screening_class=None):
    """``screening_class``: the key in ``SCREENING_CLASSES`` when the row names a class of medicines."""
    return dict(
        substance=substance, severity=severity, effect=effect, reference=reference, screening_class=screening_class
    )


def member_of(screening_class, note, reference):
    """The guide's medicine belongs to a screening class (a key in ``SCREENING_CLASSES``), as its source says."""
    return dict(screening_class=screening_class, note=note, reference=reference)


def indication(condition, detail, reference):
    return dict(condition=condition, detail=detail, reference=reference)


def contraindication(who, detail, reference):
    """Who should not take the medicine, as its source says."""
    return dict(who=who, detail=detail, reference=reference)


def urgent(signs, action, reference):
    """A serious side effect that needs help now: the signs and what the source says to do."""
    return dict(signs=signs, action=action, reference=reference)


def cited(field, text, reference):
    """A cited text field of a guide (``usual_dose``, ``key_warning``, ``missed_dose``, ``overdose``, ``storage``)
    with its source: both keys of the guide's data."""
    return {field: text, f"{field}_reference": reference}


def study(citation, design, finding, reference, participants=None):
    return dict(citation=citation, design=design, finding=finding, reference=reference, participants=participants)


def product(code, form, strength, packs):
    """``packs`` are (units, price, stock); SKUs are built as CODE-STRENGTH-FORM-UNITS."""
    form_code = {"tablet": "TAB", "capsule": "CAP", "granules": "GRA"}[form]
    strength_code = strength.replace(" mg", "")
    return dict(
        form=form,
        strength=strength,
        packs=[
            dict(units=units, price=price, stock=stock, sku=f"{code}-{strength_code}-{form_code}-{units}")
            for units, price, stock in packs
        ],
    )


MEDICINES = [
    # ------------------------------------------------------------------ baclofen
    dict(
        slug="baclofen",
        title="Baclofen",
        drug_class="skeletal-muscle-relaxants",
        generic_name="baclofen",
        brand_names=("Lioresal (UK), Ozobax (oral solution), Fleqsuvy (oral suspension), Lyvispah (oral granules)"),
        active_ingredients="baclofen",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Baclofen is a muscle relaxant and antispastic medicine. In the US, baclofen taken by mouth is "
            "approved for spasticity from multiple sclerosis and needs a prescription. Do not stop taking it "
            "suddenly: the dose has to be reduced slowly."
        ),
        references=[
            "label-baclofen",
            "label-lyvispah",
            "nhs-baclofen",
            "label-gablofen",
            "otero-romero-2016",
            "paisley-2002",
            "chou-2004",
            "agabio-2023",
        ],
        indications=[
            indication(
                "Spasticity from multiple sclerosis",
                "US oral label: particularly for flexor spasms with concomitant pain, clonus and muscular rigidity. "
                "The label does not recommend baclofen in stroke, cerebral palsy or Parkinson's disease, where "
                "its efficacy has not been established.",
                "label-baclofen",
            ),
            indication(
                "Spinal cord injuries and other spinal cord diseases",
                "The US label says baclofen “may also be of some value” in these patients.",
                "label-baclofen",
            ),
            indication(
                "Cerebral palsy and other neurological causes of spasticity (UK)",
                "The NHS lists these uses for baclofen in the UK (the US oral label does not).",
                "nhs-baclofen",
            ),
        ],
        how_it_works=(
            "<p>How baclofen works is not fully understood. It inhibits mono- and polysynaptic reflexes at the "
            "level of the spinal cord, possibly by reducing the release of excitatory transmitters from afferent "
            "nerve terminals.</p>"
            "<p>Baclofen is a structural analogue of GABA, a neurotransmitter, and is thought to act at GABA-B "
            "receptors.</p>"
        ),
        how_to_take=(
            "<h3>Adults</h3>"
            "<p>Treatment usually starts at 5 mg three times a day. The dose is increased by 5 mg per dose every "
            "3 days until it works well enough. The usual dose is 40 to 80 mg a day; the maximum is 80 mg a day "
            "(20 mg four times a day).</p>"
            "<p>Take it as your prescriber tells you, and do not stop it suddenly (see the warnings).</p>"
            "<h3>Forms</h3>"
            "<ul><li>US: tablets of 5, 10 and 20 mg; oral granules of 5, 10 and 20 mg; an oral solution and an "
            "oral suspension.</li>"
            "<li>UK: 10 mg tablets; oral solutions of 5 mg/5 mL and 10 mg/5 mL.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<h3>Do not stop suddenly</h3>"
            "<p>Stopping baclofen abruptly has caused hallucinations, seizures, high fever, altered mental status, "
            "rebound spasticity and muscle rigidity, rarely progressing to rhabdomyolysis, multiple organ-system "
            "failure and death. The dose should be reduced slowly.</p>"
            "<h3>Drowsiness</h3>"
            "<p>Baclofen depresses the central nervous system. Alcohol and other medicines that cause drowsiness "
            "add to this effect.</p>"
            "<h3>Kidney problems</h3>"
            "<p>Baclofen is removed from the body mainly unchanged by the kidneys, so it is used with caution in "
            "people with kidney impairment.</p>"
            "<h3>Other conditions</h3>"
            "<p>Baclofen may make psychosis, autonomic dysreflexia and epilepsy worse. It is not for muscle "
            "spasm caused by rheumatic disorders.</p>"
            "<p>Baclofen given into the spinal fluid (intrathecal baclofen, e.g. Gablofen) is a different product: "
            "it carries a boxed warning about abrupt discontinuation.</p>"
        ),
        pregnancy=(
            "In rats, baclofen caused omphaloceles at about 13 times the maximum human dose [1]. Withdrawal "
            "symptoms have been reported in newborns, so the dose should be reduced gradually and stopped before "
            "delivery [2]. "
            "If you are pregnant or planning a pregnancy, talk to your prescriber."
        ),
        breastfeeding="",
        side_effects=[
            side_effect(
                "Drowsiness (transient)",
                "very_common",
                "10",
                "63",
                "63% vs 36% on placebo in one study of 175 patients",
                "label-baclofen",
            ),
            side_effect("Dizziness", "very_common", "5", "15", "", "label-baclofen"),
            side_effect("Weakness", "very_common", "5", "15", "", "label-baclofen"),
            side_effect("Nausea", "very_common", "4", "12", "", "label-baclofen"),
            side_effect("Confusion", "very_common", "1", "11", "", "label-baclofen"),
            side_effect("Hypotension (low blood pressure)", "common", "0", "9", "", "label-baclofen"),
            side_effect("Headache", "common", "4", "8", "", "label-baclofen"),
            side_effect("Insomnia", "common", "2", "7", "", "label-baclofen"),
            side_effect("Constipation", "common", "2", "6", "", "label-baclofen"),
            side_effect("Urinary frequency", "common", "2", "6", "", "label-baclofen"),
            side_effect("Fatigue", "common", "2", "4", "", "label-baclofen"),
        ],
        interactions=[
            interaction(
                "Alcohol",
                "moderate",
                "Adds to the central nervous system depression (drowsiness) baclofen causes.",
                "label-lyvispah",
            ),
            interaction(
                "Other central nervous system depressants",
                "moderate",
                "Additive central nervous system depression. Tell your prescriber about every medicine "
                "that makes you drowsy.",
                "label-lyvispah",
                screening_class="cns-depressants",
            ),
        ],
        screening=[
            member_of("cns-depressants", "The label warns of CNS depression (drowsiness, sedation).", "label-lyvispah"),
        ],
        off_label_uses=[
            dict(
                condition="Alcohol use disorder",
                evidence_strength="moderate",
                summary=(
                    "A Cochrane review (2023) found less relapse with baclofen (RR 0.87, moderate certainty) and "
                    "more abstinent days (high certainty), but no difference in heavy-drinking days or in drinks "
                    "per drinking day. It covers alcohol use disorder, not alcohol withdrawal."
                ),
                reference="agabio-2023",
            ),
        ],
        studies=[
            study(
                "Otero-Romero et al. 2016",
                "Systematic review and consensus paper (spasticity in MS)",
                "Described the studies it reviewed as of “variable methodological quality”.",
                "otero-romero-2016",
            ),
            study(
                "Paisley et al. 2002",
                "Systematic review of oral treatments for spasticity in MS",
                "Found “little evidence that they lead to an improvement in patient function”.",
                "paisley-2002",
            ),
            study(
                "Chou et al. 2004",
                "Systematic review of skeletal muscle relaxants",
                "Rated the evidence that baclofen is more effective than placebo as “fair”.",
                "chou-2004",
            ),
            study(
                "Agabio et al. 2023",
                "Cochrane systematic review (alcohol use disorder)",
                "Less relapse (RR 0.87, moderate certainty) and more abstinent days (high certainty); no "
                "difference in heavy-drinking days or drinks per drinking day.",
                "agabio-2023",
            ),
        ],
        tags=["spasticity", "muscle relaxant", "multiple sclerosis"],
        products=[
            product("BAC", "tablet", "5 mg", [(30, "12.00", 40), (90, "32.40", 15)]),
            product("BAC", "tablet", "10 mg", [(30, "15.30", 60), (90, "41.40", 25)]),
            product("BAC", "tablet", "20 mg", [(30, "21.00", 20), (90, "56.70", 0)]),
        ],
    ),
    # ---------------------------------------------------------------- tizanidine
    dict(
        slug="tizanidine",
        title="Tizanidine",
        drug_class="skeletal-muscle-relaxants",
        generic_name="tizanidine",
        brand_names="Zanaflex (tablets and capsules)",
        active_ingredients="tizanidine",
        legal_status="prescription",
        controlled_schedule="",
        minimum_age=18,  # the label's indication says "in adults"
        age_limit_reference="label-tizanidine",
        summary=(
            "Tizanidine is a central alpha-2-adrenergic agonist used to treat spasticity in adults. It is "
            "short-acting, so doses are kept for the times when relief matters most."
        ),
        references=["label-tizanidine", "chou-2004"],
        indications=[
            indication(
                "Spasticity in adults",
                "Because tizanidine is short-acting, its use should be reserved for the times when relief of "
                "spasticity matters most.",
                "label-tizanidine",
            ),
        ],
        how_it_works=(
            "<p>Tizanidine is a central alpha-2-adrenergic agonist. It is thought to reduce spasticity through "
            "presynaptic inhibition of motor neurons.</p>"
        ),
        how_to_take=(
            "<h3>Adults</h3>"
            "<p>Usually 2 mg every 6 to 8 hours as needed, with no more than 3 doses in 24 hours. The dose can be "
            "increased by 2 to 4 mg per dose every 1 to 4 days. The maximum is 36 mg a day.</p>"
            "<p>Tablets and capsules are not interchangeable, and taking a dose with food is not interchangeable "
            "with taking it on an empty stomach: the amount that reaches the blood differs. Do not switch without "
            "asking your prescriber or pharmacist.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Tablets of 2 and 4 mg.</li><li>Capsules of 2, 4 and 6 mg.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<ul>"
            "<li><b>Low blood pressure</b> (hypotension).</li>"
            "<li><b>Liver injury</b>: liver tests (aminotransferases) are checked before treatment and 1 month "
            "after reaching the maximum dose.</li>"
            "<li><b>Sedation</b> and <b>hallucinations</b>.</li>"
            "<li><b>Anaphylaxis</b> (severe allergic reaction).</li>"
            "<li><b>Do not stop suddenly</b>: stopping abruptly can cause rebound high blood pressure or a fast "
            "heart rate, so the dose is tapered.</li>"
            "<li><b>Kidney problems</b>: used with caution if creatinine clearance is below 25 mL/min.</li>"
            "</ul>"
        ),
        pregnancy=(
            "Formerly FDA pregnancy category C. Animal studies showed pup loss and developmental retardation; "
            "there are no controlled studies in humans. Talk to your prescriber if you are pregnant or planning "
            "a pregnancy."
        ),
        breastfeeding="",
        side_effects=[
            side_effect(
                "Dry mouth",
                "very_common",
                None,
                "49",
                "Up to 49%, in 3 placebo-controlled trials (264 patients on tizanidine, 261 on placebo)",
                "label-tizanidine",
            ),
            side_effect(
                "Somnolence (sleepiness)",
                "very_common",
                None,
                "48",
                "Up to 48%, in the same 3 placebo-controlled trials",
                "label-tizanidine",
            ),
            side_effect("Dizziness", "very_common", None, "16", "Up to 16%, in the same trials", "label-tizanidine"),
            side_effect(
                "Asthenia (weakness)", "very_common", None, None, "More than 10% in the same trials", "label-tizanidine"
            ),
            side_effect("Hallucinations", "common", "3", "3", "5 of 170 patients", "label-tizanidine"),
        ],
        interactions=[
            interaction(
                "Fluvoxamine",
                "contraindicated",
                "Potent CYP1A2 inhibitor: do not take with tizanidine.",
                "label-tizanidine",
            ),
            interaction(
                "Ciprofloxacin",
                "contraindicated",
                "Potent CYP1A2 inhibitor: do not take with tizanidine.",
                "label-tizanidine",
            ),
            interaction(
                "Other CYP1A2 inhibitors (e.g. zileuton, other fluoroquinolones, amiodarone, cimetidine, "
                "oral contraceptives, acyclovir)",
                "moderate",
                "Use with caution.",
                "label-tizanidine",
            ),
            interaction(
                "Other alpha-2-adrenergic agonists",
                "major",
                "Do not combine with tizanidine.",
                "label-tizanidine",
                screening_class="alpha-2-agonists",
            ),
            interaction(
                "Central nervous system depressants",
                "moderate",
                "Additive effects.",
                "label-tizanidine",
                screening_class="cns-depressants",
            ),
            interaction(
                "Medicines for high blood pressure (antihypertensives)",
                "moderate",
                "Additive effects.",
                "label-tizanidine",
            ),
        ],
        screening=[
            member_of(
                "cns-depressants",
                "Sedation; the label warns of additive effects with CNS depressants.",
                "label-tizanidine",
            ),
            member_of(
                "alpha-2-agonists",
                "A central alpha-2-adrenergic agonist: do not combine with other alpha-2 agonists.",
                "label-tizanidine",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["spasticity", "muscle relaxant"],
        products=[
            product("TIZ", "tablet", "2 mg", [(30, "9.90", 30), (90, "26.10", 12)]),
            product("TIZ", "tablet", "4 mg", [(30, "12.60", 30), (90, "33.30", 12)]),
            product("TIZ", "capsule", "2 mg", [(30, "18.00", 10), (90, "48.60", 5)]),
            product("TIZ", "capsule", "4 mg", [(30, "22.50", 10), (90, "60.30", 5)]),
            product("TIZ", "capsule", "6 mg", [(30, "27.00", 10), (90, "72.90", 5)]),
        ],
    ),
    # ----------------------------------------------------------- cyclobenzaprine
    dict(
        slug="cyclobenzaprine",
        title="Cyclobenzaprine",
        drug_class="skeletal-muscle-relaxants",
        generic_name="cyclobenzaprine",
        brand_names="Flexeril, Fexmid, Amrix (extended-release capsules)",
        active_ingredients="cyclobenzaprine",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Cyclobenzaprine is a muscle relaxant used for a short time (up to 2 to 3 weeks), alongside rest and "
            "physical therapy, for muscle spasm from acute, painful musculoskeletal conditions. Drowsiness and "
            "dry mouth are common."
        ),
        references=["label-cyclobenzaprine", "browning-2001", "postgrad-med-2010", "chou-2004"],
        indications=[
            indication(
                "Muscle spasm from acute, painful musculoskeletal conditions",
                "As an adjunct to rest and physical therapy, for short periods only (up to 2 to 3 weeks).",
                "label-cyclobenzaprine",
            ),
        ],
        how_it_works=(
            "<p>Cyclobenzaprine relieves muscle spasm. We have not yet checked a source for how it does this, so "
            "this guide does not describe its mechanism.</p>"
        ),
        how_to_take=(
            "<h3>Adults (immediate-release tablets)</h3>"
            "<p>Usually 5 mg three times a day; the dose may be increased to 7.5 to 10 mg three times a day. "
            "Older people and people with liver problems start at 5 mg. Use it only for short periods (up to 2 "
            "to 3 weeks).</p>"
            "<h3>Forms</h3>"
            "<ul><li>Immediate-release tablets of 5, 7.5 and 10 mg.</li>"
            "<li>Extended-release capsules of 15 and 30 mg.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<h3>Do not take cyclobenzaprine</h3>"
            "<ul><li>with an MAO inhibitor, or within 14 days of one;</li>"
            "<li>in the acute recovery phase after a heart attack;</li>"
            "<li>with arrhythmias, heart block or conduction disturbances, or heart failure;</li>"
            "<li>with hyperthyroidism.</li></ul>"
            "<h3>Serotonin syndrome</h3>"
            "<p>There is a risk of serotonin syndrome with SSRIs, SNRIs, tricyclic antidepressants, tramadol, "
            "bupropion, meperidine and MAO inhibitors.</p>"
            "<h3>Anticholinergic effects</h3>"
            "<p>Use with caution in people with urinary retention or glaucoma.</p>"
        ),
        pregnancy="Older US labels placed cyclobenzaprine in FDA pregnancy category B. Ask your prescriber before "
        "using it in pregnancy.",
        breastfeeding="",
        side_effects=[
            side_effect(
                "Drowsiness",
                "very_common",
                "29",
                "38",
                "29% on 5 mg, 38% on 10 mg, 10% on placebo",
                "label-cyclobenzaprine",
            ),
            side_effect(
                "Dry mouth",
                "very_common",
                "21",
                "32",
                "21% on 5 mg, 32% on 10 mg, 7% on placebo",
                "label-cyclobenzaprine",
            ),
            side_effect(
                "Fatigue", "common", "6", "6", "6% on 5 mg and on 10 mg, 3% on placebo", "label-cyclobenzaprine"
            ),
            side_effect(
                "Headache", "common", "5", "5", "5% on 5 mg and on 10 mg, 8% on placebo", "label-cyclobenzaprine"
            ),
        ],
        interactions=[
            interaction(
                "MAO inhibitors",
                "contraindicated",
                "Do not take cyclobenzaprine with an MAO inhibitor or within 14 days of one.",
                "label-cyclobenzaprine",
                screening_class="mao-inhibitors",
            ),
            interaction(
                "Tramadol",
                "major",
                "Increases the risk of seizures; risk of serotonin syndrome.",
                "label-cyclobenzaprine",
            ),
            interaction(
                "SSRIs, SNRIs, tricyclic antidepressants, bupropion, meperidine",
                "major",
                "Risk of serotonin syndrome.",
                "label-cyclobenzaprine",
                screening_class="serotonergic",
            ),
            interaction(
                "Alcohol and other central nervous system depressants",
                "moderate",
                "Cyclobenzaprine may increase their effects.",
                "label-cyclobenzaprine",
                screening_class="cns-depressants",
            ),
            interaction(
                "Anticholinergic medicines",
                "moderate",
                "Cyclobenzaprine may increase their effects.",
                "label-cyclobenzaprine",
                screening_class="anticholinergics",
            ),
            interaction("Guanethidine", "moderate", "Cyclobenzaprine may block its effect.", "label-cyclobenzaprine"),
        ],
        screening=[
            member_of(
                "cns-depressants",
                "Drowsiness; potentiates alcohol and other CNS depressants.",
                "label-cyclobenzaprine",
            ),
            member_of(
                "serotonergic",
                "Risk of serotonin syndrome with SSRIs, SNRIs, TCAs, tramadol, bupropion, meperidine and MAOIs.",
                "label-cyclobenzaprine",
            ),
            member_of(
                "anticholinergics",
                "Anticholinergic cautions (urinary retention, glaucoma).",
                "label-cyclobenzaprine",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["muscle relaxant", "muscle spasm"],
        products=[
            product("CYC", "tablet", "5 mg", [(30, "8.10", 30), (60, "15.00", 20)]),
            product("CYC", "tablet", "7.5 mg", [(30, "10.50", 20), (60, "19.80", 10)]),
            product("CYC", "tablet", "10 mg", [(30, "9.00", 30), (60, "16.80", 20)]),
        ],
    ),
    # ------------------------------------------------------------- methocarbamol
    dict(
        slug="methocarbamol",
        title="Methocarbamol",
        drug_class="skeletal-muscle-relaxants",
        generic_name="methocarbamol",
        brand_names="Robaxin, Robaxin-750",
        active_ingredients="methocarbamol",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Methocarbamol is a muscle relaxant used, with rest and physical therapy, for discomfort from acute, "
            "painful musculoskeletal conditions. It can affect your ability to drive."
        ),
        references=["label-methocarbamol", "chou-2004"],
        indications=[
            indication(
                "Discomfort from acute, painful musculoskeletal conditions",
                "As an adjunct to rest, physical therapy and other measures.",
                "label-methocarbamol",
            ),
        ],
        how_it_works=(
            "<p>How methocarbamol works has not been established; it may be due to general depression of the "
            "central nervous system. It has no direct action on striated muscle, the motor end plate or the nerve "
            "fibre.</p>"
            "<p>Methocarbamol is a carbamate derivative of guaifenesin, with sedative and musculoskeletal-relaxant "
            "properties.</p>"
        ),
        how_to_take=(
            "<h3>Adults</h3>"
            "<p>6 g a day for the first 48 to 72 hours (8 g a day if the condition is severe), then about 4 g a "
            "day. For example, with 750 mg tablets: 2 tablets four times a day at first, then 1 tablet every 4 "
            "hours or 2 tablets three times a day.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Tablets of 500 and 750 mg.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<ul>"
            "<li><b>Driving</b>: methocarbamol can impair your ability to drive or operate machinery.</li>"
            "<li><b>Alcohol and other central nervous system depressants</b> add to its effects.</li>"
            "<li><b>Overdose</b>: deaths have been reported in overdose together with other central nervous "
            "system depressants.</li>"
            "</ul>"
        ),
        pregnancy=(
            "Fetal and congenital abnormalities have been reported. The label says methocarbamol should not be "
            "used in women who are or may become pregnant unless the benefit outweighs the possible hazard."
        ),
        breastfeeding="",
        # The label gives no frequencies, and the fact sheet's list of reported effects is partly
        # unverified: no side-effect rows until they are checked against the label.
        side_effects=[],
        interactions=[
            interaction(
                "Pyridostigmine",
                "moderate",
                "Methocarbamol may inhibit its effect: use with caution in people with myasthenia gravis "
                "who take anticholinesterase medicines.",
                "label-methocarbamol",
            ),
            interaction(
                "Alcohol and other central nervous system depressants",
                "moderate",
                "Additive effects; deaths have been reported in overdose together with other central "
                "nervous system depressants.",
                "label-methocarbamol",
                screening_class="cns-depressants",
            ),
        ],
        screening=[
            member_of(
                "cns-depressants",
                "A CNS depressant with sedative and musculoskeletal-relaxant properties.",
                "label-methocarbamol",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["muscle relaxant", "muscle spasm"],
        products=[
            product("MET", "tablet", "500 mg", [(50, "11.50", 25), (100, "20.00", 10)]),
            product("MET", "tablet", "750 mg", [(50, "14.00", 25), (100, "25.00", 10)]),
        ],
    ),
    # ---------------------------------------------------------------- dantrolene
    dict(
        slug="dantrolene",
        title="Dantrolene",
        drug_class="skeletal-muscle-relaxants",
        generic_name="dantrolene",
        brand_names="Dantrium (capsules)",
        active_ingredients="dantrolene sodium",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Dantrolene capsules are a direct-acting skeletal muscle relaxant for chronic spasticity, and are also "
            "used in managing malignant hyperthermia. They carry a boxed warning about liver damage."
        ),
        references=["label-dantrolene", "science-1976", "chou-2004", "otero-romero-2016"],
        indications=[
            indication(
                "Chronic spasticity from upper motor neuron disorders",
                "For example spinal cord injury, stroke, cerebral palsy or multiple sclerosis. Not for muscle "
                "spasm from rheumatic disorders.",
                "label-dantrolene",
            ),
            indication("Malignant hyperthermia", "Preoperative and post-crisis management.", "label-dantrolene"),
        ],
        how_it_works=(
            "<p>Dantrolene acts directly on skeletal muscle. It suppresses the release of calcium from the "
            "sarcoplasmic reticulum, the calcium store inside muscle cells.</p>"
        ),
        how_to_take=(
            "<h3>Adults (spasticity)</h3>"
            "<p>25 mg once a day for 7 days, then 25 mg three times a day, then 50 mg three times a day, then "
            "100 mg three times a day, each step lasting 7 days. The maximum is 100 mg four times a day. If "
            "there is no benefit after 45 days, dantrolene should be stopped.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Capsules of 25, 50 and 100 mg.</li></ul>"
        ),
        boxed_warning=(
            "Hepatotoxicity: dantrolene can cause liver injury, including fatal hepatitis. The risk is higher at "
            "doses of 800 mg a day or more, in women, in patients over 35 years and in those taking other "
            "medicines; most cases start between the 3rd and 12th month of treatment. Liver tests (AST and ALT) "
            "should be monitored."
        ),
        warnings=(
            "<ul>"
            "<li><b>Liver injury</b>: see the boxed warning. Stop if there is no benefit after 45 days.</li>"
            "<li><b>Drowsiness and dizziness</b> are among its side effects.</li>"
            "<li>Not for muscle spasm from rheumatic disorders.</li>"
            "</ul>"
        ),
        pregnancy="Formerly FDA pregnancy category C. Talk to your prescriber if you are pregnant or planning a "
        "pregnancy.",
        breastfeeding="Breastfeeding is not recommended while taking dantrolene.",
        side_effects=[
            side_effect(effect, "not_known", None, None, "The label material gives no percentages", "label-dantrolene")
            for effect in ("Drowsiness", "Dizziness", "Weakness", "Fatigue", "Diarrhoea")
        ],
        interactions=[
            interaction("Verapamil", "major", "Avoid: cardiovascular collapse has been reported.", "label-dantrolene"),
            interaction("Estrogens", "moderate", "May add to the risk of liver injury.", "label-dantrolene"),
            interaction(
                "Central nervous system depressants",
                "moderate",
                "Named on the label as an interaction: tell your prescriber if you take one.",
                "label-dantrolene",
                screening_class="cns-depressants",
            ),
            interaction("Vecuronium", "moderate", "Dantrolene may potentiate its effect.", "label-dantrolene"),
        ],
        off_label_uses=[],
        studies=[
            study(
                "Science 1976",
                "Laboratory study of skeletal muscle sarcoplasmic reticulum",
                "Dantrolene acts by suppressing calcium release from the sarcoplasmic reticulum of skeletal muscle.",
                "science-1976",
            ),
        ],
        tags=["spasticity", "muscle relaxant", "malignant hyperthermia"],
        products=[
            product("DAN", "capsule", "25 mg", [(30, "24.00", 15), (90, "66.60", 5)]),
            product("DAN", "capsule", "50 mg", [(30, "36.00", 15), (90, "99.90", 5)]),
            product("DAN", "capsule", "100 mg", [(30, "54.00", 10), (90, "151.20", 4)]),
        ],
    ),
    # -------------------------------------------------------------- carisoprodol
    dict(
        slug="carisoprodol",
        title="Carisoprodol",
        drug_class="skeletal-muscle-relaxants",
        generic_name="carisoprodol",
        brand_names="Soma",
        active_ingredients="carisoprodol",
        legal_status="controlled",
        controlled_schedule="IV",
        minimum_age=18,  # the label's indication says "in adults"
        age_limit_reference="label-carisoprodol",
        summary=(
            "Carisoprodol is a centrally acting muscle relaxant for discomfort from acute, painful musculoskeletal "
            "conditions in adults, for up to 2 to 3 weeks only. In the US it is a Schedule IV controlled "
            "substance; it can cause abuse, dependence and withdrawal."
        ),
        references=["label-carisoprodol", "dea-carisoprodol-2011", "chou-2004"],
        indications=[
            indication(
                "Discomfort from acute, painful musculoskeletal conditions in adults",
                "For up to 2 to 3 weeks only.",
                "label-carisoprodol",
            ),
        ],
        how_it_works=(
            "<p>Carisoprodol is a centrally acting muscle relaxant. The body converts it to meprobamate, which is "
            "itself a controlled substance.</p>"
        ),
        how_to_take=(
            "<h3>Adults</h3>"
            "<p>250 to 350 mg three times a day and at bedtime, for no more than 2 to 3 weeks.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Tablets of 250 and 350 mg.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<h3>Controlled substance</h3>"
            "<p>Carisoprodol has been in Schedule IV (C-IV) of the US Controlled Substances Act since 11 January "
            "2012 (DEA final rule, 76 FR 77330, 12 December 2011).</p>"
            "<ul>"
            "<li><b>Sedation</b>.</li>"
            "<li><b>Abuse, dependence and withdrawal</b>.</li>"
            "<li><b>Seizures</b>.</li>"
            "<li>Do not take it if you have acute intermittent porphyria or a hypersensitivity to carbamates.</li>"
            "</ul>"
        ),
        pregnancy="",
        breastfeeding="",
        side_effects=[
            side_effect(
                "Drowsiness",
                "very_common",
                "13",
                "17",
                "13% on 250 mg, 17% on 350 mg, 6% on placebo",
                "label-carisoprodol",
            ),
            side_effect(
                "Dizziness", "common", "7", "8", "8% on 250 mg, 7% on 350 mg, 2% on placebo", "label-carisoprodol"
            ),
            side_effect(
                "Headache", "common", "3", "5", "5% on 250 mg, 3% on 350 mg, 2% on placebo", "label-carisoprodol"
            ),
        ],
        interactions=[
            interaction(substance, "moderate", "Additive sedation.", "label-carisoprodol")
            for substance in ("Alcohol", "Benzodiazepines", "Opioids", "Tricyclic antidepressants")
        ],
        screening=[
            member_of(
                "cns-depressants",
                "Sedation; additive sedation with alcohol, benzodiazepines, opioids and TCAs.",
                "label-carisoprodol",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["muscle relaxant", "muscle spasm", "controlled substance"],
        products=[
            product("CAR", "tablet", "250 mg", [(28, "12.60", 20), (56, "23.52", 10)]),
            product("CAR", "tablet", "350 mg", [(28, "9.80", 20), (56, "18.48", 10)]),
        ],
    ),
    # ----------------------------------------------------------------- metformin
    dict(
        slug="metformin",
        title="Metformin",
        drug_class="biguanides",
        generic_name="metformin",
        brand_names="Glucophage, Glucophage XR",
        active_ingredients="metformin",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Metformin is a biguanide used with diet and exercise to control blood glucose in type 2 diabetes. "
            "Unlike sulfonylureas, it does not usually cause hypoglycaemia. It carries a boxed warning about "
            "lactic acidosis, and kidney function is checked before it is started."
        ),
        references=["label-metformin", "fda-metformin-2016"],
        indications=[
            indication(
                "Type 2 diabetes", "As an adjunct to diet and exercise, for glycaemic control.", "label-metformin"
            ),
        ],
        how_it_works=(
            "<p>Metformin decreases glucose production by the liver and glucose absorption from the intestine, and "
            "improves insulin sensitivity. Unlike sulfonylureas, it does not usually cause hypoglycaemia (low "
            "blood sugar).</p>"
        ),
        how_to_take=(
            "<p>Take metformin exactly as your prescriber tells you; your prescriber chooses the dose.</p>"
            "<h3>Kidney function first</h3>"
            "<p>Kidney function (eGFR) is checked before metformin is started. It is contraindicated if eGFR is "
            "below 30, and it should not be started if eGFR is 30 to 45.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Immediate-release tablets of 500, 850 and 1000 mg.</li>"
            "<li>Extended-release tablets of 500 mg.</li></ul>"
        ),
        boxed_warning=(
            "Lactic acidosis. Risk factors include kidney impairment, age 65 or over, iodinated contrast, hypoxic "
            "states, excessive alcohol intake and liver impairment."
        ),
        warnings=(
            "<h3>Lactic acidosis</h3>"
            "<p>See the boxed warning.</p>"
            "<h3>Kidney function (FDA, 2016)</h3>"
            "<ul><li>Check eGFR before starting.</li>"
            "<li>Contraindicated if eGFR is below 30; do not start if eGFR is 30 to 45.</li>"
            "<li>Stop metformin before iodinated contrast imaging if eGFR is 30 to 60.</li></ul>"
        ),
        pregnancy="",
        breastfeeding="",
        side_effects=[],
        interactions=[
            interaction(
                "Iodinated contrast (used in some imaging procedures)",
                "major",
                "Stop metformin before the procedure if eGFR is 30 to 60.",
                "fda-metformin-2016",
            ),
            interaction(
                "Alcohol (excessive intake)",
                "major",
                "Excessive alcohol intake is a risk factor for lactic acidosis.",
                "label-metformin",
            ),
            interaction(
                "Carbonic anhydrase inhibitors, such as topiramate",
                "moderate",
                "Named as an interacting medicine on the metformin label: tell your prescriber if you take one.",
                "label-metformin",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["type 2 diabetes", "blood glucose"],
        products=[
            product("MFN", "tablet", "500 mg", [(60, "6.00", 80), (180, "16.20", 30)]),
            product("MFN", "tablet", "850 mg", [(60, "7.80", 60), (180, "21.60", 20)]),
            product("MFN", "tablet", "1000 mg", [(60, "8.40", 60), (180, "23.40", 20)]),
        ],
    ),
    # -------------------------------------------------------------- atorvastatin
    dict(
        slug="atorvastatin",
        title="Atorvastatin",
        drug_class="statins",
        generic_name="atorvastatin",
        brand_names="Lipitor",
        active_ingredients="atorvastatin",
        legal_status="prescription",
        controlled_schedule="",
        summary=(
            "Atorvastatin is a statin, used with diet to lower LDL cholesterol and other blood lipids. It can cause "
            "muscle problems (myopathy) and changes in liver tests."
        ),
        references=["label-atorvastatin", "fda-statins-pregnancy-2021"],
        indications=[
            indication(
                "High LDL cholesterol and other lipid abnormalities",
                "As an adjunct to diet, to lower LDL cholesterol (LDL-C) and other lipids.",
                "label-atorvastatin",
            ),
        ],
        how_it_works="<p>Atorvastatin inhibits the enzyme HMG-CoA reductase.</p>",
        how_to_take=(
            "<h3>Adults</h3>"
            "<p>10 to 80 mg once a day, as your prescriber tells you.</p>"
            "<h3>Forms</h3>"
            "<ul><li>Tablets of 10, 20, 40 and 80 mg.</li><li>An oral suspension also exists.</li></ul>"
        ),
        boxed_warning="",
        warnings=(
            "<ul>"
            "<li><b>Myopathy and rhabdomyolysis</b> (muscle damage).</li>"
            "<li><b>Liver enzyme abnormalities</b>.</li>"
            "</ul>"
        ),
        pregnancy=(
            "In 2021 the FDA removed the class-wide contraindication of statins in pregnancy. Most patients should "
            "still stop statins when pregnancy is recognised. Talk to your prescriber."
        ),
        breastfeeding="Breastfeeding is not recommended while taking a statin.",
        side_effects=[
            side_effect(
                effect,
                "common",
                None,
                percent,
                f"{percent}% vs {placebo}% on placebo (8,755 patients on atorvastatin at any dose, 7,311 on placebo)",
                "label-atorvastatin",
            )
            for effect, percent, placebo in (
                ("Nasopharyngitis", "8.3", "8.2"),
                ("Arthralgia (joint pain)", "6.9", "6.5"),
                ("Diarrhoea", "6.8", "6.3"),
                ("Pain in extremity", "6.0", "5.9"),
                ("Urinary tract infection", "5.7", "5.6"),
            )
        ],
        interactions=[
            interaction("Cyclosporine", "major", "Avoid taking with atorvastatin.", "label-atorvastatin"),
            interaction("Tipranavir with ritonavir", "major", "Avoid taking with atorvastatin.", "label-atorvastatin"),
            interaction(
                "Glecaprevir with pibrentasvir", "major", "Avoid taking with atorvastatin.", "label-atorvastatin"
            ),
            interaction(
                "Clarithromycin, itraconazole and several HIV or hepatitis C protease inhibitors",
                "major",
                "Atorvastatin should not exceed 20 mg a day.",
                "label-atorvastatin",
            ),
            interaction("Nelfinavir", "major", "Atorvastatin should not exceed 40 mg a day.", "label-atorvastatin"),
            interaction(
                "Fibrates, niacin, colchicine, erythromycin and azole antifungals",
                "moderate",
                "Use with caution.",
                "label-atorvastatin",
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["cholesterol", "statin"],
        products=[
            product("ATO", "tablet", "10 mg", [(30, "6.00", 50), (90, "15.30", 20)]),
            product("ATO", "tablet", "20 mg", [(30, "7.50", 50), (90, "18.90", 20)]),
            product("ATO", "tablet", "40 mg", [(30, "9.00", 40), (90, "23.40", 15)]),
            product("ATO", "tablet", "80 mg", [(30, "10.50", 30), (90, "27.90", 10)]),
        ],
    ),
]

# The two over-the-counter medicines, from the OTC fact sheet only: its Drug Facts labels (by DailyMed set id), the
# NHS pages and the FDA's safety communication. The sheet gives no side-effect frequencies and no missed-dose advice
# for them, and nothing verified on ibuprofen in breastfeeding: those stay empty. Prices are illustrative.
MEDICINES += [
    # ----------------------------------------------------------------- ibuprofen
    dict(
        slug="ibuprofen",
        title="Ibuprofen",
        drug_class="nsaids",
        generic_name="ibuprofen",
        brand_names="Advil (US), Motrin IB (US)",
        active_ingredients="ibuprofen",
        legal_status="otc",
        controlled_schedule="",
        summary=(
            "Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID), sold over the counter in the US as a "
            "pain reliever and fever reducer. Like other NSAIDs, it may cause severe stomach bleeding and increases "
            "the risk of heart attack and stroke: do not take more, or for longer, than directed."
        ),
        references=[
            "label-motrin-ib",
            "label-ibuprofen-nucare",
            "label-ibuprofen-260f",
            "label-ibuprofen-25f9",
            "label-ibuprofen-0402",
            "fda-nsaids-pregnancy-2020",
            "nhs-ibuprofen-how",
        ],
        indications=[
            indication(
                "Minor aches and pains",
                "Temporarily relieves minor aches and pains due to headache, muscular aches, minor pain of "
                "arthritis, toothache, backache, the common cold and menstrual cramps.",
                "label-motrin-ib",
            ),
            indication("Fever", "Temporarily reduces fever.", "label-motrin-ib"),
        ],
        **cited(
            "usual_dose",
            "By mouth. Adults and children 12 years and over: 1 tablet every 4 to 6 hours while symptoms persist, 2 "
            "if 1 does not help; not more than 6 tablets in 24 hours unless directed by a doctor.",
            "label-ibuprofen-nucare",
        ),
        **cited(
            "key_warning",
            "This product contains an NSAID, which may cause severe stomach bleeding. The chance is higher if you "
            "are age 60 or older, have had stomach ulcers or bleeding problems, take a blood thinner, a steroid or "
            "another NSAID, have 3 or more alcoholic drinks every day, or take more or for longer than directed.",
            "label-motrin-ib",
        ),
        how_it_works=(
            "<p>Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID); its Drug Facts label gives its purpose "
            "as “pain reliever/fever reducer” [1].</p>"
            "<p>We have not yet checked a source for how it works, so this guide does not describe its "
            "mechanism.</p>"
        ),
        how_to_take=(
            "<h3>Adults and children 12 years and over</h3>"
            "<ul><li>Take 1 tablet every 4 to 6 hours while symptoms persist [2].</li>"
            "<li>If pain or fever does not respond to 1 tablet, 2 tablets may be used [2].</li>"
            "<li>Do not take more than 6 tablets in 24 hours, unless directed by a doctor [2].</li>"
            "<li>Do not take more than directed; the smallest effective dose should be used. Some labels add: do "
            "not take it for longer than 10 days, unless directed by a doctor [2].</li></ul>"
            "<h3>Children under 12 years</h3>"
            "<p>Ask a doctor [2].</p>"
            "<h3>In the UK</h3>"
            "<p>The NHS gives the usual dose for adults as one or two 200mg tablets or capsules 3 times a day, "
            "swallowed whole with water, milk or juice [7].</p>"
        ),
        **cited(
            "overdose",
            "Keep out of reach of children. In case of overdose, get medical help or contact a Poison Control Center "
            "(1-800-222-1222) right away.",
            "label-ibuprofen-25f9",
        ),
        **cited(
            "storage",
            "Store between 20-25°C (68-77°F). Avoid excessive heat above 40°C (104°F).",
            "label-ibuprofen-0402",
        ),
        contraindications=[
            contraindication(
                "People who have ever had an allergic reaction to ibuprofen or any other pain reliever/fever reducer",
                "Do not use it.",
                "label-motrin-ib",
            ),
            contraindication("Right before or after heart surgery", "Do not use it.", "label-motrin-ib"),
        ],
        urgent_signs=[
            urgent(
                "An allergic reaction: hives, facial swelling, asthma (wheezing), shock, skin reddening, rash, "
                "blisters",
                "Stop use and seek medical help right away.",
                "label-motrin-ib",
            ),
            urgent(
                "Signs of stomach bleeding: feeling faint, vomiting blood, bloody or black stools, stomach pain that "
                "does not get better",
                "Stop use and ask a doctor.",
                "label-ibuprofen-25f9",
            ),
            urgent(
                "Symptoms of heart problems or stroke: chest pain, trouble breathing, weakness in one part or side of "
                "the body, slurred speech, leg swelling",
                "Stop use and ask a doctor.",
                "label-ibuprofen-25f9",
            ),
        ],
        boxed_warning="",
        warnings=(
            "<h3>Allergy alert</h3>"
            "<p>Ibuprofen may cause a severe allergic reaction, especially in people allergic to aspirin [1].</p>"
            "<h3>Stomach bleeding</h3>"
            "<p>This product contains an NSAID, which may cause severe stomach bleeding [1].</p>"
            "<h3>Heart attack and stroke</h3>"
            "<p>NSAIDs, except aspirin, increase the risk of heart attack, heart failure and stroke. These can be "
            "fatal. The risk is higher if you use more than directed or for longer than directed [3].</p>"
            "<h3>Ask a doctor or pharmacist before use if you are</h3>"
            "<ul><li>under a doctor's care for any serious condition [4];</li>"
            "<li>taking aspirin for heart attack or stroke, because ibuprofen may decrease this benefit of aspirin "
            "[4];</li>"
            "<li>taking any other drug [4].</li></ul>"
            "<h3>Stop use and ask a doctor if</h3>"
            "<ul><li>pain gets worse or lasts more than 10 days [4];</li>"
            "<li>fever gets worse or lasts more than 3 days [4].</li></ul>"
        ),
        pregnancy=(
            "The FDA recommends avoiding NSAIDs in pregnancy at 20 weeks or later, because they can result in low "
            "amniotic fluid [6]."
        ),
        breastfeeding="",
        side_effects=[],
        interactions=[
            interaction(
                "Aspirin taken for heart attack or stroke",
                "moderate",
                "Ibuprofen may decrease this benefit of aspirin: ask a doctor or pharmacist before use.",
                "label-ibuprofen-25f9",
            ),
            *(
                interaction(substance, "moderate", "A higher chance of severe stomach bleeding.", "label-motrin-ib")
                for substance in (
                    "Blood thinners (anticoagulants)",
                    "Steroids",
                    "Other medicines containing an NSAID, prescription or not (aspirin, ibuprofen, naproxen or others)",
                    "Alcohol (3 or more drinks every day)",
                )
            ),
        ],
        off_label_uses=[],
        studies=[],
        tags=["pain", "fever", "over the counter"],
        products=[
            product("IBU", "tablet", "200 mg", [(24, "3.60", 120), (36, "4.90", 80), (115, "11.50", 40)]),
        ],
    ),
    # ---------------------------------------------------------------- loratadine
    dict(
        slug="loratadine",
        title="Loratadine",
        drug_class="antihistamines",
        generic_name="loratadine",
        brand_names="Claritin (US), Clarityn Allergy (UK)",
        active_ingredients="loratadine",
        legal_status="otc",
        controlled_schedule="",
        summary=(
            "Loratadine is an antihistamine sold over the counter. It temporarily relieves the symptoms of hay "
            "fever and other upper respiratory allergies: a runny nose, sneezing, itchy, watery eyes and an itchy "
            "nose or throat."
        ),
        references=["label-claritin-2019", "label-claritin-2022", "nhs-loratadine-how", "nhs-loratadine-pregnancy"],
        indications=[
            indication(
                "Hay fever and other upper respiratory allergies",
                "Temporarily relieves a runny nose; itchy, watery eyes; sneezing; itching of the nose or throat.",
                "label-claritin-2019",
            ),
        ],
        **cited(
            "usual_dose",
            "By mouth. Adults and children 6 years and over: 1 tablet daily; not more than 1 tablet in 24 hours.",
            "label-claritin-2019",
        ),
        **cited(
            "key_warning",
            "Do not take more than directed: taking more than directed may cause drowsiness.",
            "label-claritin-2019",
        ),
        how_it_works=(
            "<p>Loratadine is an antihistamine [1].</p>"
            "<p>We have not yet checked a source for how it works, so this guide does not describe its "
            "mechanism.</p>"
        ),
        how_to_take=(
            "<h3>Adults and children 6 years and over</h3>"
            "<p>1 tablet daily; not more than 1 tablet in 24 hours [1].</p>"
            "<h3>Ask a doctor first</h3>"
            "<ul><li>For children under 6 years of age [1].</li>"
            "<li>If you have liver or kidney disease [1].</li></ul>"
            "<h3>In the UK</h3>"
            "<p>The NHS gives the usual dose in adults as 10mg, taken once a day. Children aged between 6 and 12 "
            "years can only take loratadine tablets if they weigh more than 30kg [3].</p>"
        ),
        **cited(
            "overdose",
            "Keep out of reach of children. In case of overdose, get medical help or contact a Poison Control Center "
            "(1-800-222-1222) right away.",
            "label-claritin-2022",
        ),
        **cited(
            "storage",
            "Store between 20° and 25°C (68° to 77°F). Protect from excessive moisture.",
            "label-claritin-2019",
        ),
        contraindications=[
            contraindication(
                "People who have ever had an allergic reaction to this product or any of its ingredients",
                "Do not use it.",
                "label-claritin-2019",
            ),
        ],
        urgent_signs=[
            urgent(
                "An allergic reaction to loratadine",
                "Stop use and ask a doctor; seek medical help right away.",
                "label-claritin-2019",
            ),
        ],
        boxed_warning="",
        warnings=(
            "<ul><li>Do not use it if you have ever had an allergic reaction to this product or any of its "
            "ingredients [1].</li>"
            "<li>Ask a doctor before use if you have liver or kidney disease: your doctor should determine if you "
            "need a different dose [1].</li>"
            "<li>Do not take more than directed: taking more than directed may cause drowsiness [1].</li></ul>"
        ),
        pregnancy=(
            "The NHS says you can take loratadine in pregnancy [4]. The US label says: “If pregnant or "
            "breast-feeding, ask a health professional before use.” [1]"
        ),
        breastfeeding=(
            "The NHS says that, when breastfeeding, “loratadine is one of the best choices” [4]. The US label says: "
            "“If pregnant or breast-feeding, ask a health professional before use.” [1]"
        ),
        side_effects=[],
        interactions=[],  # the US Drug Facts label names none
        off_label_uses=[],
        studies=[],
        tags=["hay fever", "allergy", "over the counter"],
        products=[
            product("LOR", "tablet", "10 mg", [(10, "3.50", 60), (40, "9.80", 40), (90, "17.90", 25)]),
        ],
    ),
]

# Key facts, who should not take it, and studies with their participants, from the fact sheet, by guide. Where the
# sheet is silent (no guide's sheet gives missed-dose, overdose or storage advice) the field stays empty.
GUIDE_SECTIONS = {
    "baclofen": dict(
        **cited(
            "usual_dose",
            "By mouth. Adults usually start at 5 mg three times a day, increased by 5 mg per dose every 3 days; the "
            "usual dose is 40 to 80 mg a day, and the maximum 80 mg a day.",
            "label-baclofen",
        ),
        **cited(
            "key_warning",
            "Do not stop taking baclofen suddenly: abrupt withdrawal has caused hallucinations, seizures, high fever "
            "and rebound spasticity, and rarely multi-organ failure and death. The dose is reduced slowly.",
            "label-lyvispah",
        ),
        contraindications=[
            contraindication(
                "People with muscle spasm from rheumatic disorders", "Baclofen is not for this use.", "label-baclofen"
            ),
            contraindication(
                "People with spasticity from stroke, cerebral palsy or Parkinson's disease",
                "The US oral label does not recommend baclofen for these.",
                "label-baclofen",
            ),
        ],
        studies=[
            study(
                "Baclofen label: placebo-controlled study",
                "Placebo-controlled study reported on the US label",
                "Transient drowsiness in 63% of patients on baclofen and 36% on placebo.",
                "label-baclofen",
                participants=175,
            ),
        ],
    ),
    "tizanidine": dict(
        **cited(
            "usual_dose",
            "By mouth. Adults usually take 2 mg every 6 to 8 hours as needed, at most 3 doses in 24 hours; the "
            "maximum is 36 mg a day.",
            "label-tizanidine",
        ),
        **cited(
            "key_warning",
            "Do not stop taking tizanidine suddenly: the dose is tapered, because stopping abruptly can cause "
            "rebound high blood pressure or a fast heart rate.",
            "label-tizanidine",
        ),
        contraindications=[
            contraindication(
                "People taking fluvoxamine or ciprofloxacin",
                "These potent CYP1A2 inhibitors are contraindicated with tizanidine.",
                "label-tizanidine",
            ),
        ],
        studies=[
            study(
                "Zanaflex label: 3 placebo-controlled trials",
                "3 placebo-controlled trials reported on the US label (264 patients on tizanidine, 261 on placebo)",
                "The most common side effects were dry mouth (up to 49%), somnolence (up to 48%), asthenia (more "
                "than 10%) and dizziness (up to 16%).",
                "label-tizanidine",
                participants=525,
            ),
        ],
    ),
    "cyclobenzaprine": dict(
        **cited(
            "usual_dose",
            "By mouth (immediate-release tablets). Adults usually take 5 mg three times a day, which may be "
            "increased to 7.5 to 10 mg three times a day, for up to 2 to 3 weeks only.",
            "label-cyclobenzaprine",
        ),
        **cited(
            "key_warning",
            "Do not take it with an MAO inhibitor or within 14 days of one. With SSRIs, SNRIs, tricyclic "
            "antidepressants, tramadol, bupropion or meperidine there is a risk of serotonin syndrome.",
            "label-cyclobenzaprine",
        ),
        contraindications=[
            contraindication(who, "", "label-cyclobenzaprine")
            for who in (
                "People taking an MAO inhibitor, or who took one in the last 14 days",
                "People in the acute recovery phase after a heart attack",
                "People with arrhythmias, heart block or conduction disturbances",
                "People with heart failure",
                "People with hyperthyroidism",
            )
        ],
    ),
    "methocarbamol": dict(
        **cited(
            "usual_dose",
            "By mouth. Adults take 6 g a day for the first 48 to 72 hours (8 g a day if severe), then about 4 g a day.",
            "label-methocarbamol",
        ),
        **cited(
            "key_warning",
            "It can impair driving, and its effects add to those of alcohol and other CNS depressants.",
            "label-methocarbamol",
        ),
    ),
    "dantrolene": dict(
        **cited(
            "usual_dose",
            "By mouth. Adults start at 25 mg once a day and step up weekly to 100 mg three times a day; the maximum "
            "is 100 mg four times a day. It is stopped if there is no benefit after 45 days.",
            "label-dantrolene",
        ),
    ),
    "carisoprodol": dict(
        **cited(
            "usual_dose",
            "By mouth. Adults take 250 to 350 mg three times a day and at bedtime, for no more than 2 to 3 weeks.",
            "label-carisoprodol",
        ),
        **cited(
            "key_warning",
            "A Schedule IV controlled substance: it can cause abuse, dependence and withdrawal.",
            "label-carisoprodol",
        ),
        contraindications=[
            contraindication("People with acute intermittent porphyria", "", "label-carisoprodol"),
            contraindication("People with a hypersensitivity to carbamates", "", "label-carisoprodol"),
        ],
    ),
    "metformin": dict(
        contraindications=[
            contraindication(
                "People whose kidney function (eGFR) is below 30",
                "Metformin is contraindicated; it should not be started if eGFR is 30 to 45.",
                "fda-metformin-2016",
            ),
        ],
    ),
    "atorvastatin": dict(
        **cited(
            "key_warning",
            "It can cause muscle damage (myopathy and rhabdomyolysis) and changes in liver tests.",
            "label-atorvastatin",
        ),
        studies=[
            study(
                "Atorvastatin label: placebo-controlled trials",
                "Placebo-controlled trials reported on the US label (8,755 patients on atorvastatin at any dose, "
                "7,311 on placebo)",
                "The side-effect table's figures (nasopharyngitis, arthralgia, diarrhoea, pain in extremity, urinary "
                "tract infection) come from these trials.",
                "label-atorvastatin",
                participants=16066,
            ),
        ],
    ),
}

for _guide in MEDICINES:
    for _name, _value in GUIDE_SECTIONS.get(_guide["slug"], {}).items():
        _guide[_name] = _guide.get(_name, []) + _value if _name == "studies" else _value
