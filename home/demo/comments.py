"""Reader comments and a pharmacist's answer, as plain data (names and addresses are fictional).

``page`` is ("medicine", slug) or ("article", slug); ``reply_to`` names another
comment's ``key``; ``by_pharmacist`` comments are written by the demo pharmacist.
Pharmacist answers state only facts from the baclofen guide's sources.
"""

from datetime import UTC, datetime

COMMENTS = [
    dict(
        key="baclofen-drowsy",
        page=("medicine", "baclofen"),
        author_name="Jordan Lee",
        author_email="reader1@example.com",
        body=(
            "I started baclofen for MS spasticity last month and I feel sleepy most afternoons. Is that normal, "
            "and is it OK to have a glass of wine in the evening?"
        ),
        status="approved",
        created_at=datetime(2026, 10, 20, 9, 15, tzinfo=UTC),
    ),
    dict(
        key="baclofen-drowsy-answer",
        reply_to="baclofen-drowsy",
        page=("medicine", "baclofen"),
        by_pharmacist=True,
        body=(
            "Yes, drowsiness is common: the baclofen label describes transient drowsiness in 10 to 63% of "
            "patients. Alcohol adds to the drowsiness baclofen causes, so please ask "
            "your prescriber before drinking while you take it. If the sleepiness bothers you, talk to your "
            "prescriber rather than stopping: baclofen must never be stopped suddenly, because abrupt withdrawal "
            "can cause hallucinations, seizures and high fever. The dose is reduced slowly."
        ),
        status="approved",
        created_at=datetime(2026, 10, 20, 14, 40, tzinfo=UTC),
    ),
    dict(
        key="baclofen-sources",
        page=("medicine", "baclofen"),
        author_name="Priya Natarajan",
        author_email="reader2@example.com",
        body="Thank you for showing where each side-effect figure comes from. It makes the numbers easier to trust.",
        status="approved",
        created_at=datetime(2026, 10, 22, 18, 5, tzinfo=UTC),
    ),
    dict(
        key="baclofen-pending",
        page=("medicine", "baclofen"),
        author_name="Alex Morgan",
        author_email="reader3@example.com",
        body="Can I take my baclofen tablets with food, or should it be on an empty stomach?",
        status="pending",
        created_at=datetime(2026, 10, 28, 11, 30, tzinfo=UTC),
    ),
    dict(
        key="stopping-baclofen-thanks",
        page=("article", "stopping-baclofen-safely"),
        author_name="Chris Okafor",
        author_email="reader4@example.com",
        body="This explains why my neurologist lowered my dose step by step instead of stopping it at once.",
        status="approved",
        created_at=datetime(2026, 10, 25, 8, 45, tzinfo=UTC),
    ),
]
