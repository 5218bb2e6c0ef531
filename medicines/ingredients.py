"""Active ingredients as names that can be compared.

A guide and a product list their active ingredients as text ("tizanidine hydrochloride", "Codeine phosphate,
paracetamol"). Two lists name the same ingredients when their normalised names are equal:

- Unicode compatibility forms folded and case ignored (the Kelvin sign "K" is a K, full-width letters are
  letters), invisible formatting characters (soft hyphens, zero-width spaces) removed, hyphens and dashes read
  as spaces, runs of spaces as one;
- what a label says in brackets dropped ("tizanidine (as hydrochloride)");
- the salt or hydrate a label adds after the base dropped ("tizanidine HCl", "morphine sulfate pentahydrate"),
  but never the first word, and never after a metal ("magnesium sulfate" and "magnesium citrate" stay two
  ingredients, "sodium chloride" stays itself).
"""

from __future__ import annotations

import re
import unicodedata

SALT_WORDS = frozenset(
    """hydrochloride hcl hydrobromide hbr dihydrochloride sodium disodium potassium dipotassium calcium magnesium
    maleate mesylate mesilate besylate besilate tartrate bitartrate citrate sulfate sulphate succinate fumarate
    phosphate acetate hyclate anhydrous base monohydrate dihydrate trihydrate tetrahydrate pentahydrate
    hexahydrate heptahydrate hemihydrate sesquihydrate""".split()
)
# Ingredients named by their metal first: the anion is the ingredient, not a salt added to it.
METALS = frozenset("sodium potassium calcium magnesium zinc iron ferrous ferric lithium aluminium aluminum".split())
DASHES = dict.fromkeys(map(ord, "-‐‑‒–—―−"), " ")


def normalise_ingredient(name: str) -> str:
    """ "Tizanidine  HCl" → "tizanidine"; "" for a blank name."""
    text = unicodedata.normalize("NFKC", name or "").casefold().translate(DASHES)
    text = "".join(character for character in text if unicodedata.category(character) != "Cf")
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    words = re.sub(r"[^\w\s]", " ", text).split()
    if words and words[0] not in METALS:
        while len(words) > 1 and words[-1] in SALT_WORDS:
            words.pop()
    return " ".join(words)


def ingredient_set(text: str) -> frozenset[str]:
    """The normalised ingredients of a comma-, semicolon-, slash-, plus- or "and"-separated list."""
    parts = re.split(r"[,;/+]|\band\b", unicodedata.normalize("NFKC", text or ""), flags=re.IGNORECASE)
    return frozenset(name for name in (normalise_ingredient(part) for part in parts) if name)


def ingredient_keys(text: str) -> str:
    """The normalised ingredients as one searchable text: "|baclofen|" (stored on the guide, matched exactly)."""
    return "|" + "|".join(sorted(ingredient_set(text))) + "|"
