"""Where the audit learns what the site's structured data says of the medicines a page names.

``evidence`` never imports the apps that hold that data: an app registers a function with ``register_facts_source``
(``medicines`` does, in its ``AppConfig.ready``) that takes a ``PageContent`` and returns the ``MedicineFacts`` of
the medicines it names. ``medicines_named`` asks every registered source.
"""

from __future__ import annotations

from collections.abc import Callable

from evidence.audit.content import MedicineFacts, PageContent

FactsSource = Callable[[PageContent], list[MedicineFacts]]
FACT_SOURCES: list[FactsSource] = []


def register_facts_source(source: FactsSource) -> FactsSource:
    if source not in FACT_SOURCES:
        FACT_SOURCES.append(source)
    return source


def medicines_named(content: PageContent) -> list[MedicineFacts]:
    return [facts for source in FACT_SOURCES for facts in source(content)]
