from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "medicines"

    def ready(self):
        from evidence.audit.facts import register_facts_source
        from medicines.models.audit import medicine_facts

        register_facts_source(medicine_facts)  # the audit holds any page's text to the guides of what it names
