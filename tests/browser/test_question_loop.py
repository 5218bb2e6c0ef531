"""The question loop in a real browser: a reader asks a question and asks to be e-mailed; a pharmacist, from the
link in their new-question e-mail, publishes and answers it in the admin; the reader gets both e-mails and the guide
shows the answer marked as a pharmacist's.

The live server runs in this process with the locmem e-mail backend, so ``mail.outbox`` holds what it sent.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

pytestmark = pytest.mark.browser

QUESTION = "Can I take baclofen at night only?"
ANSWER = "Yes: many people take it at bedtime. Ask your prescriber before changing how you take it."
READER = "robin.asks@example.com"


def only_link(text: str, path_part: str) -> str:
    (link,) = [link for link in re.findall(r"https?://\S+", text) if path_part in link]
    return link


def test_reader_asks_pharmacist_answers_reader_is_told(
    browser, page, goto, live_site, live_guide, pharmacist, axe, axe_report, settings, console_errors
):
    from discussion.models import Comment

    # The reader asks, with the e-mail opt-in.
    goto(page, live_guide.url)
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Robin")
    form.get_by_label("Email").fill(READER)
    form.get_by_label("Comment").fill(QUESTION)
    form.get_by_label(re.compile("E-mail me when my question is published")).check()
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state("load")

    # The confirmation is where they land, and their question is shown to them as pending.
    assert page.url.endswith("#comment-posted")
    posted = page.locator("#comment-posted")
    assert posted.is_visible()
    box = posted.bounding_box()
    viewport = page.viewport_size
    # (the anchor may leave it a fraction of a pixel above the top edge)
    assert box is not None and -1 < box["y"] < viewport["height"], "the confirmation is off-screen"
    assert "awaiting moderation" in posted.get_by_role("status").inner_text()
    assert "We will e-mail you" in posted.inner_text()
    assert QUESTION in posted.inner_text() and "Awaiting moderation" in posted.inner_text()
    assert "No comments yet" not in page.locator("#comments").inner_text()
    assert READER not in page.content()
    violations = axe(page, "#comments")
    assert violations == [], axe_report(violations)

    # The pharmacist is alerted, and opens the Answer screen from the e-mail's link.
    question = Comment.objects.get(author_email=READER)
    (alert,) = [message for message in mail.outbox if message.to == [pharmacist.email]]
    link = only_link(alert.body, "/answer/")
    assert link.startswith(settings.SITE_URL)
    admin = browser.new_context().new_page()
    admin.goto(f"{live_site}/admin/login/?next={urlsplit(link).path}")
    admin.fill("#id_username", pharmacist.email)
    admin.fill("#id_password", "pw")
    admin.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    admin.wait_for_load_state("load")
    assert urlsplit(admin.url).path == urlsplit(link).path
    assert QUESTION in admin.locator("#question-section, main").first.inner_text()

    admin.get_by_role("button", name="Publish the question").click()
    admin.wait_for_load_state("load")
    assert "The question is published." in admin.content()
    admin.get_by_label("Your answer").fill(ANSWER)
    admin.get_by_role("button", name="Publish the answer").click()
    admin.wait_for_load_state("load")
    assert "Your answer is published." in admin.content()

    # The reader got both e-mails, with links to the page.
    to_reader = {message.subject: message.body for message in mail.outbox if message.to == [READER]}
    assert set(to_reader) == {
        "Your question on “Baclofen” is published",
        "A pharmacist answered your question on “Baclofen”",
    }
    answered = to_reader["A pharmacist answered your question on “Baclofen”"]
    assert ANSWER in answered
    answer = question.replies.get()
    assert only_link(answered, "#comment-").endswith(f"/medicines/baclofen/#comment-{answer.pk}")

    # The guide shows the question and the answer, marked as a pharmacist's.
    goto(page, f"{live_guide.url}?comments=1#comment-{answer.pk}")  # a new load, not only a new anchor
    thread = page.locator(f"#comment-{question.pk}")
    assert QUESTION in thread.inner_text()
    reply = page.locator(f"#comment-{answer.pk}")
    assert ANSWER in reply.inner_text()
    assert reply.locator(".badge--pharmacist").inner_text() == "Pharmacist"
    assert "Sam Rivera" in reply.inner_text()
    assert page.locator("#comment-posted").count() == 0  # published: no longer "awaiting moderation"
    assert READER not in page.content() and pharmacist.email not in page.content()
    assert console_errors == []
