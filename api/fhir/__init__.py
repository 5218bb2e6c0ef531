"""HL7 FHIR R4 ``MedicationKnowledge`` for each product on sale, read-only, at /fhir/.

GET (and HEAD) only, answering ``application/fhir+json; fhirVersion=4.0``:

- ``/fhir/metadata``: the ``CapabilityStatement`` (read and search of MedicationKnowledge);
- ``/fhir/MedicationKnowledge/{id}``: one product (``id`` is the product's primary key);
- ``/fhir/MedicationKnowledge``: a ``Bundle`` of type ``searchset`` with ``total`` and
  ``self``/``first``/``previous``/``next``/``last`` links, searchable by
  ``code`` (NDC product code, pack NDC, SKU or RxNorm code; ``system|code`` accepted),
  ``doseform`` (our ``DosageForm`` code or its SNOMED CT code in ``codes``; ``system|code`` accepted),
  ``status`` (``active``/``inactive``), paged by ``_count`` (at most ``search.MAX_COUNT``) and ``page``.
  Commas mean OR within a parameter, a repeated parameter means AND, as in FHIR search.

Only active products of live, public guides are shown: an inactive product, or one of a draft
guide, is unknown here (404, and never in a bundle, so ``status=inactive`` finds nothing).
Unknown ids and paths answer 404, bad or unknown search parameters 400, other methods 405, each
with an ``OperationOutcome``. Nothing private is in a product, and nothing here reads comments,
orders or customers.

The resources are plain dicts built by plain functions (no runtime FHIR library). The tests
validate them with ``fhir.resources.R4B`` (the installed fhir.resources 8.3 offers R5, R4B and
STU3 but no R4 package; R4B's MedicationKnowledge and Bundle have the same elements as R4's).

The modules: ``codes`` (the code systems and the codes used), ``mapping`` (a product as a
MedicationKnowledge), ``search`` (the search parameters and the searchset Bundle), ``views`` (HTTP,
the CapabilityStatement) and ``urls`` (``include("api.fhir.urls")``, namespace ``fhir``).
"""
