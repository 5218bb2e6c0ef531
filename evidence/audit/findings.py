"""What the audit reports: findings, each with its severity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "ERROR"
    WARNING = "WARNING"

    @property
    def rank(self) -> int:
        return 0 if self is Severity.ERROR else 1


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    place: str
    message: str
