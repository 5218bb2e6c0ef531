"""The pharmacy-medicine questionnaire: what a pharmacy medicine (P) asks at checkout, and the answers an order keeps.

Every P product in an order is answered for: the standard questions (who it is for, their age, the other medicines
they take, their medical conditions), then the guide's own (``medicines.PharmacyQuestion``, in order). The order
keeps the answers as ``Order.health_answers``::

    [{"product": "<product name>", "product_id": <id>, "questions": [{"question": ..., "answer": ...}, ...]}]

``place_order`` refuses an order whose P products are not all answered, whatever sent it.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Product
from medicines.models import QuestionKind
from orders.services.errors import OrderError

YES, NO = "Yes", "No"
MAX_ANSWER_LENGTH = 500
FOR_WHOM, AGE = "for_whom", "age"  # the two standard questions with an answer of their own shape


@dataclass(frozen=True)
class Question:
    key: str  # the form field's name
    text: str
    kind: str  # QuestionKind (yes_no, text), FOR_WHOM or AGE
    help_text: str = ""


STANDARD_QUESTIONS = (
    Question(FOR_WHOM, "Who is the medicine for?", FOR_WHOM),
    Question(AGE, "How old is the person who will take it?", AGE, "In years."),
    Question(
        "medicines",
        "What other medicines do they take?",
        QuestionKind.TEXT,
        "Prescribed, bought or herbal, with the strength if you know it. Write “none” if none.",
    ),
    Question("conditions", "What medical conditions do they have?", QuestionKind.TEXT, "Write “none” if none."),
)


def pharmacy_products(cart) -> list[Product]:
    """The pharmacy-medicine products of a priced cart (``PricedCart``), each once, in the cart's order."""
    products: dict[int, Product] = {}
    for line in cart.lines:
        if line.pharmacy_medicine:
            products.setdefault(line.pack.product_id, line.pack.product)
    return list(products.values())


def questions_for(product: Product) -> list[Question]:
    """The standard questions, then the product's guide's own."""
    own = [
        Question(f"question_{row.pk}", row.question, row.kind, row.help_text)
        for row in product.medicine.pharmacy_questions.all()
    ]
    return [*STANDARD_QUESTIONS, *own]


def check_health_answers(cart, health_answers) -> list[dict]:
    """What the order keeps of ``health_answers``: every P product of ``cart`` with an answer to each of its
    questions (a yes/no question answered yes or no). Raises OrderError naming the product and the question
    otherwise; answers about products that are not pharmacy medicines are not kept."""
    given: dict[int, dict[str, str]] = {}
    for entry in health_answers or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("questions"), list):
            continue
        given[entry.get("product_id")] = {
            row["question"]: row["answer"].strip()
            for row in entry["questions"]
            if isinstance(row, dict) and isinstance(row.get("question"), str) and isinstance(row.get("answer"), str)
        }
    kept = []
    for product in pharmacy_products(cart):
        answers = given.get(product.pk, {})
        rows = []
        for question in questions_for(product):
            answer = answers.get(question.text, "")[:MAX_ANSWER_LENGTH]
            if not answer or (question.kind == QuestionKind.YES_NO and answer not in (YES, NO)):
                raise OrderError(
                    f"{product.name} is sold only after a pharmacist reads your answers to their questions: "
                    f"answer “{question.text}” at checkout."
                )
            rows.append({"question": question.text, "answer": answer})
        kept.append({"product": product.name, "product_id": product.pk, "questions": rows})
    return kept
