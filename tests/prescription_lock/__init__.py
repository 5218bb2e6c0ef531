"""Adversarial: a prescription-only medicine is never sold or dispensed without a covering approval, whatever path
is tried. Each attack goes through the real admin screens, the CSV import, the staff API, the openFDA import or the
services; none succeeds, and each is refused with a message naming the rule, or held for a pharmacist.

The set-up is the case that was seen: tizanidine 2 mg tablets (prescription only) and an over-the-counter guide
(ibuprofen) under which a product could be relabelled.
"""
