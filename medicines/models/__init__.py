"""Medicine guides as structured data, and the drug classes that group them (being split into modules)."""

from medicines.models.guide import *  # noqa: F403
