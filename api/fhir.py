"""FHIR R4 MedicationKnowledge at /fhir/."""

urlpatterns = []
