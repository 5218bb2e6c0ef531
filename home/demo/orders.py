"""The demo patient and their one order, waiting in the pharmacist's review with an uploaded prescription.

Everything here is fictional: the person, the address (a 555-01xx telephone number, kept for fiction) and the
prescription, a one-page PDF that says it is not valid for dispensing. The patient's allergy matches no demo
medicine, so the review shows no allergy warning.
"""

from __future__ import annotations

from datetime import date

PATIENT_EMAIL = "patient@example.com"

PATIENT = dict(
    first_name="Robin",
    last_name="Patel",
    date_of_birth=date(1986, 4, 12),
    allergy_answer="listed",
    allergies="penicillin",
    is_staff=False,
    is_superuser=False,
)

PATIENT_ADDRESS = dict(
    full_name="Robin Patel",
    line1="42 Example Avenue",
    line2="Apartment 3",
    city="Springfield",
    postcode="12345",
    country="United States",
    phone="555-0142",
)

# Looked up by the patient and this token: loading the demo again never places a second order.
DEMO_ORDER = dict(
    checkout_token="demo-order-1",
    sku="BAC-10-TAB-30",  # baclofen 10 mg, 30 tablets: prescription only
    quantity=1,
    payment_method="pay_on_delivery",
    shipping="standard",  # settings.SHIPPING_METHODS
    prescription_filename="demo-prescription.pdf",
)

PRESCRIPTION_LINES = [
    (18, "DEMO PRESCRIPTION \u2013 not valid for dispensing"),
    (11, "Apothecary demo data. Patient: Robin Patel (fictional)."),
    (11, "Baclofen 10 mg tablets, 30 tablets."),
]


def _pdf_text(text: str) -> bytes:
    # Helvetica with WinAnsiEncoding: cp1252 gives the en dash its code (0x96); (, ) and \ are escaped.
    encoded = text.encode("cp1252")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def demo_prescription_pdf() -> bytes:
    """A small valid one-page PDF saying it is a demo prescription, written by hand (no PDF library needed)."""
    stream = b"\n".join(
        b"BT /F1 %d Tf 72 %d Td %s Tj ET" % (size, 720 - 28 * row, _pdf_text(text))
        for row, (size, text) in enumerate(PRESCRIPTION_LINES)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


# Fictional carriers for the ship action: their tracking pages are on tracking.example, a name reserved for examples.
CARRIERS = [
    dict(name="Example Parcel Service (demo)", tracking_url="https://tracking.example/eps?number={tracking}"),
    dict(name="Demo Courier Co. (demo)", tracking_url="https://tracking.example/demo-courier/{tracking}"),
]
