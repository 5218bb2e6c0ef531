"""Articles, as plain data: StreamField bodies in the blocks of ``articles.blocks``.

In a body, ``reference`` values are keys of ``references.REFERENCES`` and
``medicine`` values are guide slugs; the loader turns them into ids. The numbers
in square brackets are positions in the article's ``references`` list.
"""

AUTHOR = "Sam Rivera, PharmD (demo account)"


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(html):
    return ("paragraph", html)


def quote(text, reference):
    return ("quote", {"quote": text, "reference": reference})


def callout(kind, title, html):
    return ("callout", {"kind": kind, "title": title, "text": html})


def table(caption, rows, reference=None):
    return (
        "table",
        {
            "caption": caption,
            "table": {
                "data": rows,
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "",
            },
            "reference": reference,
        },
    )


def product_box(medicine_slug):
    return ("product_box", {"medicine": medicine_slug})


ARTICLES = [
    dict(
        slug="stopping-baclofen-safely",
        title="Stopping baclofen safely: why doses are tapered",
        summary=(
            "Stopping baclofen suddenly can cause serious withdrawal reactions. What the labels say, and why your "
            "prescriber reduces the dose slowly."
        ),
        tags=["baclofen", "spasticity", "medicine safety"],
        references=["label-lyvispah", "label-gablofen", "label-baclofen"],
        body=[
            heading("What can happen if baclofen is stopped suddenly"),
            paragraph(
                "<p>The label of oral baclofen granules (Lyvispah) warns that abrupt discontinuation of baclofen "
                "has caused hallucinations, seizures, high fever, altered mental status, rebound spasticity and "
                "muscle rigidity. Rarely, this has progressed to rhabdomyolysis, multiple organ-system failure and "
                "death [1].</p>"
            ),
            callout(
                "warning",
                "Do not stop baclofen on your own",
                "<p>If you want to stop baclofen, or you are about to run out, talk to your prescriber or "
                "pharmacist first. The dose is reduced slowly.</p>",
            ),
            heading("Pregnancy"),
            paragraph(
                "<p>Withdrawal symptoms have been reported in newborns, so the label advises reducing the dose "
                "gradually and stopping before delivery [1].</p>"
            ),
            heading("Intrathecal baclofen"),
            paragraph(
                "<p>Baclofen given into the spinal fluid (intrathecal baclofen, e.g. Gablofen) is a different "
                "product from the tablets, and it carries a boxed warning about abrupt discontinuation [2].</p>"
            ),
            heading("Other safety points"),
            paragraph(
                "<p>Baclofen depresses the central nervous system, and alcohol and other medicines that cause "
                "drowsiness add to this [1]. It is used with caution in kidney impairment, because it is removed "
                "from the body mainly unchanged by the kidneys [3].</p>"
            ),
            heading("What oral baclofen is for"),
            paragraph(
                "<p>In the US, oral baclofen is approved for spasticity from multiple sclerosis. For spinal cord "
                "injuries and other spinal cord diseases the label is more cautious: baclofen</p>"
            ),
            quote("may also be of some value", "label-baclofen"),
            product_box("baclofen"),
        ],
    ),
    dict(
        slug="muscle-relaxants-compared",
        title="Muscle relaxants compared: the side effects on their labels",
        summary=(
            "Drowsiness, dizziness and dry mouth are common with muscle relaxants. The side-effect figures from "
            "each product label, side by side, with their sources."
        ),
        tags=["muscle relaxant", "side effects", "spasticity"],
        references=[
            "label-baclofen",
            "label-tizanidine",
            "label-cyclobenzaprine",
            "label-carisoprodol",
            "label-methocarbamol",
            "label-dantrolene",
            "paisley-2002",
        ],
        body=[
            paragraph(
                "<p>Each figure below comes from the product's US label, as given in our medicine guides. The "
                "trials behind the figures differ in size, dose and design, so compare them with care.</p>"
            ),
            table(
                "Side effects on the labels of muscle relaxants (percentage of patients)",
                [
                    ["Medicine", "Drowsiness", "Dizziness", "Other effects", "Placebo comparison", "Source"],
                    [
                        "Baclofen",
                        "10–63%",
                        "5–15%",
                        "Weakness 5–15%; nausea 4–12%; confusion 1–11%",
                        "Drowsiness 63% vs 36% on placebo in one study of 175 patients",
                        "[1]",
                    ],
                    [
                        "Tizanidine",
                        "Up to 48% (somnolence)",
                        "Up to 16%",
                        "Dry mouth up to 49%; asthenia more than 10%",
                        "3 placebo-controlled trials: 264 patients on tizanidine, 261 on placebo",
                        "[2]",
                    ],
                    [
                        "Cyclobenzaprine (5 mg / 10 mg)",
                        "29% / 38%",
                        "No figure in our sources",
                        "Dry mouth 21% / 32%; fatigue 6% / 6%; headache 5% / 5%",
                        "Placebo: drowsiness 10%, dry mouth 7%, fatigue 3%, headache 8%",
                        "[3]",
                    ],
                    [
                        "Carisoprodol (250 mg / 350 mg)",
                        "13% / 17%",
                        "8% / 7%",
                        "Headache 5% / 3%",
                        "Placebo: drowsiness 6%, dizziness 2%, headache 2%",
                        "[4]",
                    ],
                    [
                        "Methocarbamol",
                        "No figure on the label",
                        "No figure on the label",
                        "The label gives no frequencies",
                        "None given",
                        "[5]",
                    ],
                    [
                        "Dantrolene",
                        "Reported; no percentage",
                        "Reported; no percentage",
                        "Weakness, fatigue, diarrhoea; no percentages in the label material we checked",
                        "None given",
                        "[6]",
                    ],
                ],
            ),
            heading("Do they improve function?"),
            paragraph(
                "<p>Less stiffness on a rating scale is not the same as doing more in daily life. A systematic "
                "review of oral treatments for spasticity in multiple sclerosis found [7]:</p>"
            ),
            quote("little evidence that they lead to an improvement in patient function", "paisley-2002"),
            callout(
                "tip",
                "Ask before you combine",
                "<p>All of these medicines can cause drowsiness. For several of them the labels warn that alcohol "
                "and other medicines that cause drowsiness add to it: ask your pharmacist before combining "
                "them.</p>",
            ),
        ],
    ),
    dict(
        slug="statins-in-pregnancy-2021",
        title="Statins in pregnancy: what changed in 2021",
        summary=(
            "In July 2021 the FDA removed the class-wide contraindication of statins in pregnancy. Most patients "
            "should still stop their statin when pregnancy is recognised."
        ),
        tags=["statin", "pregnancy", "cholesterol"],
        references=["fda-statins-pregnancy-2021", "label-atorvastatin"],
        body=[
            heading("What changed"),
            paragraph(
                "<p>In a Drug Safety Communication of 20 July 2021, the US Food and Drug Administration (FDA) "
                "removed the class-wide contraindication of statins in pregnancy [1].</p>"
            ),
            heading("What did not change"),
            paragraph(
                "<p>Most patients should still stop statins when pregnancy is recognised, and breastfeeding is "
                "still not recommended while taking a statin [1].</p>"
            ),
            callout(
                "info",
                "If you take a statin and could become pregnant",
                "<p>Talk to your prescriber before you stop or change any medicine, and tell them as soon as you "
                "know you are pregnant.</p>",
            ),
            heading("About atorvastatin"),
            paragraph(
                "<p>Atorvastatin (Lipitor) is a statin used with diet to lower LDL cholesterol and other lipids. "
                "Its label warns about myopathy and rhabdomyolysis, and about liver enzyme abnormalities [2].</p>"
            ),
            product_box("atorvastatin"),
        ],
    ),
]
