"""The FHIR addresses, under /fhir/ (``include("api.fhir.urls")``, namespace ``fhir``)."""

from django.urls import path, re_path

from api.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="fhir-metadata"),
    re_path(r"^MedicationKnowledge/?$", views.medication_knowledge_search, name="medicationknowledge-search"),
    path("MedicationKnowledge/<str:resource_id>", views.medication_knowledge_read, name="medicationknowledge-read"),
    re_path(r"", views.unknown_endpoint, name="unknown"),
]
