"""The audit's rules, by kind. Importing this package registers them in ``RULES`` in the order imported here,
which is the order of the findings within a severity and of ``manage.py audit_content --rules``."""

# isort: off
from evidence.audit.rules import citations, references, identifiers, repetition, consistency, site, claims, attribution

# isort: on

__all__ = [
    "citations",
    "references",
    "identifiers",
    "repetition",
    "consistency",
    "site",
    "claims",
    "attribution",
]
