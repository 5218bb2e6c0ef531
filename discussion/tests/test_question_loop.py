"""The question loop: the asker's opt-in e-mails (published, answered, and the link to stop them), the new-question
alert to pharmacists, and a pharmacist's answer from the admin (permission-checked and logged)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry

from discussion import services
from discussion.models import Comment, CommentStatus
from discussion.tasks import stop_url

pytestmark = pytest.mark.django_db

SITE = "https://pharmacy.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The e-mails are queued when the transaction commits: run those callbacks."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def ask(page, *, notify=True, **fields):
    values = {"name": "Alex", "email": "alex@example.com", "body": "Can I take it at night?", "notify": notify}
    values.update(fields)
    with TestCase.captureOnCommitCallbacks(execute=True):  # committed: the e-mails queued on commit are sent
        return services.post_comment(page, **values)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def answer_path(comment):
    return reverse("wagtailsnippets_discussion_comment:answer", args=[comment.pk])


# -- the new-question alert ----------------------------------------------------------------------------------------


def test_a_new_question_alerts_each_pharmacist_with_a_link_to_answer_it(medicine, pharmacist, moderator):
    question = ask(medicine)
    alerts = sent_to(pharmacist.email)
    assert len(alerts) == 1
    body = alerts[0].body
    assert "Can I take it at night?" in body
    assert f"{SITE}/admin/snippets/discussion/comment/answer/{question.pk}/" in body
    assert "alex@example.com" not in body
    # The moderator gets the moderation notice, without the answer link.
    (notice,) = sent_to(moderator.email)
    assert "/answer/" not in notice.body and f"{SITE}/admin/" in notice.body


def test_the_alert_goes_to_the_configured_addresses_instead_when_set(medicine, pharmacist, settings):
    settings.DISCUSSION_PHARMACIST_EMAILS = ["rx-team@example.com"]
    ask(medicine)
    assert len(sent_to("rx-team@example.com")) == 1 and sent_to(pharmacist.email) == []


def test_inactive_pharmacists_and_replies_alert_no_pharmacist(medicine, pharmacist, make_comment):
    thread = make_comment("Approved question")
    ask(medicine, parent=thread)  # a reader's reply is not a new question
    assert sent_to(pharmacist.email) == []
    pharmacist.is_active = False
    pharmacist.save()
    assert pharmacist.email not in services.pharmacist_emails()


# -- the asker's e-mails ------------------------------------------------------------------------------------------


def test_the_asker_who_opted_in_is_told_once_when_published(medicine, moderator, run_on_commit):
    question = ask(medicine)
    assert question.notify_author is True
    mail.outbox.clear()
    run_on_commit(services.approve, [question], moderator)
    (message,) = sent_to("alex@example.com")
    assert "is published" in message.subject
    assert f"{SITE}/medicines/baclofen/#comment-{question.pk}" in message.body
    assert stop_url(question) in message.body and stop_url(question).startswith(f"{SITE}/comments/stop/")
    # Marked as spam and approved again: not told twice.
    services.mark_spam([question], moderator)
    run_on_commit(services.approve, [question], moderator)
    assert len(sent_to("alex@example.com")) == 1


def test_an_asker_who_did_not_opt_in_gets_nothing(medicine, pharmacist, run_on_commit):
    question = ask(medicine, notify=False)
    run_on_commit(services.answer, question, pharmacist, "Yes, it is usually fine.")
    assert sent_to("alex@example.com") == []


def test_a_pharmacists_answer_publishes_the_question_and_tells_the_asker(medicine, pharmacist, run_on_commit):
    question = ask(medicine)
    reply = run_on_commit(services.answer, question, pharmacist, "Yes; take it at the same time each night.")
    question.refresh_from_db()
    assert question.status == CommentStatus.APPROVED
    assert (reply.parent, reply.status, reply.by_pharmacist) == (question, CommentStatus.APPROVED, True)
    assert reply.author_name == "Sam Rivera" and reply.author == pharmacist
    subjects = sorted(message.subject for message in sent_to("alex@example.com"))
    assert subjects == [
        "A pharmacist answered your question on “Baclofen”",
        "Your question on “Baclofen” is published",
    ]
    (answered,) = [message for message in sent_to("alex@example.com") if "answered" in message.subject]
    assert "take it at the same time each night" in answered.body
    assert f"{SITE}/medicines/baclofen/#comment-{reply.pk}" in answered.body
    assert pharmacist.email not in answered.body
    assert ModelLogEntry.objects.filter(action="discussion.answer", object_id=str(reply.pk)).exists()
    assert ModelLogEntry.objects.filter(action="discussion.approve", object_id=str(question.pk)).exists()


def test_answering_a_reply_answers_its_thread(medicine, pharmacist, make_comment):
    thread = make_comment("Question")
    reader_reply = make_comment("Me too", parent=thread)
    answer = services.answer(reader_reply, pharmacist, "Here is the answer.")
    assert answer.parent == thread


def test_only_a_pharmacist_answers(medicine, moderator, superuser):
    question = ask(medicine)
    for user in (moderator, superuser, None):
        with pytest.raises(PermissionDenied):
            services.answer(question, user, "An answer.")
    assert Comment.objects.filter(parent=question).count() == 0
    question.refresh_from_db()
    assert question.status == CommentStatus.PENDING


def test_spam_is_not_answered_and_a_refused_answer_leaves_the_question_pending(medicine, pharmacist, settings):
    question = ask(medicine)
    settings.COMMENT_MAX_LINKS = 0
    with pytest.raises(ValidationError):
        services.answer(question, pharmacist, "See https://example.com")
    question.refresh_from_db()
    assert question.status == CommentStatus.PENDING and not question.replies.exists()
    Comment.objects.filter(pk=question.pk).update(status=CommentStatus.SPAM)
    question.refresh_from_db()
    with pytest.raises(ValidationError):
        services.answer(question, pharmacist, "An answer.")


# -- stopping the e-mails ------------------------------------------------------------------------------------------


def test_the_stop_link_asks_then_stops_the_emails(client, medicine, moderator, run_on_commit):
    question = ask(medicine)
    path = stop_url(question).removeprefix(SITE)
    page = client.get(path)
    assert page.status_code == 200 and "Stop these e-mails" in page.content.decode()
    question.refresh_from_db()
    assert question.notify_author is True  # opening the link changes nothing
    client.post(path)
    question.refresh_from_db()
    assert question.notify_author is False
    mail.outbox.clear()
    run_on_commit(services.approve, [question], moderator)
    assert sent_to("alex@example.com") == []


def test_a_forged_stop_link_is_a_clear_404(client, medicine):
    question = ask(medicine)
    response = client.post(reverse("discussion:stop", args=[f"{question.pk}:forged"]))
    assert response.status_code == 404 and "not valid" in response.content.decode()
    question.refresh_from_db()
    assert question.notify_author is True


# -- the form ------------------------------------------------------------------------------------------------------


def test_the_opt_in_is_on_the_form_and_kept_with_the_question(client, medicine, post_data):
    html = client.get(medicine.url).content.decode()
    assert "E-mail me when my question is published and when a pharmacist answers it" in html
    response = client.post(reverse("discussion:post", args=[medicine.pk]), post_data(notify="on"))
    assert Comment.objects.get().notify_author is True
    assert "We will e-mail you when it is published" in client.get(response["Location"]).content.decode()
    client.post(reverse("discussion:post", args=[medicine.pk]), post_data(comment="Another one"))
    assert Comment.objects.get(body="Another one").notify_author is False


def test_the_address_is_never_on_the_page(client, medicine, pharmacist):
    question = ask(medicine, email="private-asker@example.com")
    services.answer(question, pharmacist, "An answer.")
    html = client.get(medicine.url).content.decode()
    assert "An answer." in html and "Pharmacist" in html
    assert "private-asker@example.com" not in html and pharmacist.email not in html


# -- the admin's Answer screen -------------------------------------------------------------------------------------


def test_a_pharmacist_publishes_and_answers_from_the_admin(client, medicine, pharmacist, run_on_commit):
    question = ask(medicine)
    client.force_login(pharmacist)
    edit = client.get(reverse("wagtailsnippets_discussion_comment:edit", args=[question.pk])).content.decode()
    assert answer_path(question) in edit and "Answer as a pharmacist" in edit
    screen = client.get(answer_path(question))
    assert screen.status_code == 200 and "Can I take it at night?" in screen.content.decode()

    response = run_on_commit(client.post, answer_path(question), {"action": "publish"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == CommentStatus.APPROVED

    response = run_on_commit(client.post, answer_path(question), {"action": "answer", "answer": "Yes, at night."})
    assert response.status_code == 302
    reply = question.replies.get()
    assert reply.by_pharmacist and reply.body == "Yes, at night."
    assert len(sent_to("alex@example.com")) == 2


def test_an_empty_answer_is_a_form_error(client, medicine, pharmacist):
    question = ask(medicine)
    client.force_login(pharmacist)
    response = client.post(answer_path(question), {"action": "answer", "answer": "  "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not question.replies.exists()


def test_a_moderator_who_is_not_a_pharmacist_cannot_answer(client, medicine, moderator):
    question = ask(medicine)
    client.force_login(moderator)
    page = client.get(answer_path(question)).content.decode()
    assert "Only a pharmacist can answer questions." in page and 'name="answer"' not in page
    response = client.post(answer_path(question), {"action": "answer", "answer": "Sneaky."})
    assert response.status_code == 403 and not question.replies.exists()


def test_an_admin_user_without_comment_rights_cannot_open_the_screen(client, medicine, site_pages):
    from django.contrib.auth.models import Group, Permission

    from accounts.models import User

    user = User.objects.create_user("editor@example.com", "pw")
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    response = client.get(answer_path(ask(medicine)))
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's "no permission"


def test_an_erased_readers_question_is_no_longer_followed(medicine, pharmacist, patient, run_on_commit):
    from discussion.personal_data import erase, export

    question = ask(medicine, email=patient.email)
    assert export(patient).data[0]["email_when_published_or_answered"] is True
    erase(patient, None)
    question.refresh_from_db()
    assert (question.notify_author, question.author_email) == (False, "")
    mail.outbox.clear()
    run_on_commit(services.answer, question, pharmacist, "An answer.")
    assert mail.outbox == []
