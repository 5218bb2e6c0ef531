"""Active ingredients as names that can be compared.

A guide and a product list their active ingredients as text ("tizanidine
hydrochloride", "Codeine phosphate, paracetamol"). Two lists name the same
ingredients when their normalised names are equal: lower case, single spaces,
and without the salt or hydrate a label adds after the base ("baclofen",
"tizanidine", "codeine"), so that "Tizanidine HCl" and "tizanidine" are one
ingredient. The first word is never removed, so "sodium chloride" stays itself.
"""

from __future__ import annotations

import re

SALT_WORDS = frozenset(
    """hydrochloride hcl hydrobromide dihydrochloride sodium disodium potassium calcium magnesium maleate mesylate
    besylate tartrate bitartrate citrate sulfate sulphate succinate fumarate phosphate acetate monohydrate dihydrate
    trihydrate hemihydrate sesquihydrate hyclate anhydrous base""".split()
)


def normalise_ingredient(name: str) -> str:
    """ "Tizanidine  HCl" → "tizanidine"; "" for a blank name."""
    words = re.sub(r"[^\w\s-]", " ", name.lower()).split()
    while len(words) > 1 and words[-1] in SALT_WORDS:
        words.pop()
    return " ".join(words)


def ingredient_set(text: str) -> frozenset[str]:
    """The normalised ingredients of a comma-, semicolon- or "and"-separated list."""
    parts = re.split(r"[,;/+]|\band\b", text or "", flags=re.IGNORECASE)
    return frozenset(name for name in (normalise_ingredient(part) for part in parts) if name)
