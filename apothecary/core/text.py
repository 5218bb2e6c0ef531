"""Small wording helpers shared by commands, admin messages and reports."""


def plural(count: int, word: str, words: str = "") -> str:
    """“1 error”, “3 errors”; ``words`` for an irregular plural (“2 entries”)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


# Characters a name never holds: controls (Cc), formatting (Cf: the bidirectional overrides and isolates that make
# "Robin‮ kcab" read backwards, zero-width spaces and joiners), private use (Co) and lone surrogates (Cs).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}


def refuse_invisible_characters(value: str) -> None:
    """A validator for names: refuse control, text-direction and other invisible characters, naming the first."""
    import unicodedata

    from django.core.exceptions import ValidationError

    for character in value or "":
        if unicodedata.category(character) in INVISIBLE_CATEGORIES:
            raise ValidationError(
                f"Names cannot contain control or text-direction characters (found U+{ord(character):04X}).",
                code="invisible_character",
            )


def split_list(text: str) -> list[str]:
    """A comma- or line-separated list as a person typed it (allergies, medicines), without blanks."""
    return [item.strip() for item in (text or "").replace("\n", ",").split(",") if item.strip()]
