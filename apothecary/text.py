"""Small wording helpers shared by commands, admin messages and reports."""


def plural(count: int, word: str, words: str = "") -> str:
    """“1 error”, “3 errors”; ``words`` for an irregular plural (“2 entries”)."""
    return f"{count} {word if count == 1 else words or word + 's'}"
