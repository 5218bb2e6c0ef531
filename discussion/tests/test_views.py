"""The posting endpoint: success, validation, spam traps, rate limit, 404/405, CSRF."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from discussion.forms import make_timestamp
from discussion.models import Comment, CommentStatus
from discussion.views import AWAITING_MODERATION, PUBLISHED

pytestmark = pytest.mark.django_db


def post_url(page):
    return reverse("discussion:post", args=[page.pk])


def test_url():
    assert reverse("discussion:post", args=[42]) == "/comments/42/post/"


def test_posting_saves_a_pending_comment_and_redirects_to_the_comments(
    client, medicine, post_data, mailoutbox, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the moderators' e-mail is queued once it commits
        response = client.post(post_url(medicine), post_data(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 303
    assert response["Location"] == "/medicines/baclofen/#comment-posted"
    comment = Comment.objects.get()
    assert (comment.page_id, comment.author_name, comment.author_email) == (
        medicine.pk,
        "Alex Reader",
        "alex@example.com",
    )
    assert comment.body == "Does baclofen make you sleepy?"
    assert comment.status == CommentStatus.PENDING
    assert comment.ip_address == "203.0.113.5"
    assert [message.to for message in mailoutbox if "awaiting moderation" in message.subject] == [[moderator.email]]
    # Back on the page, the confirmation is where the reader lands, and their question is shown to them, pending.
    html = client.get(response["Location"]).content.decode()
    assert 'id="comment-posted"' in html and AWAITING_MODERATION in html
    assert "Does baclofen make you sleepy?" in html and "Awaiting moderation" in html
    assert "No comments yet" not in html
    # The confirmation is shown once; the pending question stays in view for its writer only.
    again = client.get(response["Location"]).content.decode()
    assert AWAITING_MODERATION not in again and "Does baclofen make you sleepy?" in again
    assert "Does baclofen make you sleepy?" not in Client().get(response["Location"]).content.decode()


def test_line_breaks_are_normalised(client, medicine, post_data):
    client.post(post_url(medicine), post_data(comment="Line one\r\nLine two\r\n"))
    assert Comment.objects.get().body == "Line one\nLine two"


def test_pharmacist_answer_is_published(client, medicine, post_data, pharmacist):
    client.force_login(pharmacist)
    response = client.post(post_url(medicine), post_data(name=pharmacist.get_full_name(), email=pharmacist.email))
    assert response.status_code == 303
    assert PUBLISHED in client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED and comment.by_pharmacist


def test_reply_through_the_form(client, medicine, post_data, make_comment):
    top = make_comment("Top")
    reply = make_comment("Reply", parent=top)
    response = client.post(post_url(medicine), post_data(parent=str(reply.pk)))
    assert response.status_code == 303
    assert Comment.objects.latest("pk").parent == top


def test_reply_to_an_unapproved_comment_is_refused(client, medicine, post_data, make_comment):
    hidden = make_comment("Pending", status=CommentStatus.PENDING)
    response = client.post(post_url(medicine), post_data(parent=str(hidden.pk)))
    assert response.status_code == 400
    assert "no longer available" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("name", "N" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("comment", "", "This field is required."),
        ("comment", "   ", "This field is required."),
        ("comment", "w" * 3001, "Ensure this value has at most 3000 characters (it has 3001)."),
    ],
)
def test_invalid_input_shows_errors_and_keeps_what_was_typed(client, medicine, post_data, field, value, error):
    typed = post_data(**{field: value})
    response = client.post(post_url(medicine), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'aria-invalid="true"' in html
    assert "Baclofen" in html  # the page's title
    for name in ("name", "email", "comment"):
        if typed[name].strip():
            assert typed[name] in html
    assert not Comment.objects.exists()
    assert response.templates[0].name == "discussion/comment_form_page.html"


def test_too_many_links_is_a_form_error(client, medicine, post_data, settings):
    settings.COMMENT_MAX_LINKS = 2
    body = "Try https://one.example, http://two.example and www.three.example today"
    response = client.post(post_url(medicine), post_data(comment=body))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please include no more than 2 links in your comment." in html
    assert "https://one.example" in html
    assert not Comment.objects.exists()
    ok = client.post(post_url(medicine), post_data(comment="Only https://one.example and www.two.example"))
    assert ok.status_code == 303


def test_filled_honeypot_is_quietly_dropped(client, medicine, post_data, mailoutbox, moderator):
    response = client.post(post_url(medicine), post_data(website="http://spam.example"))
    assert response.status_code == 303
    assert response["Location"] == "/medicines/baclofen/#comment-posted"
    assert AWAITING_MODERATION in client.get(response["Location"]).content.decode()  # as if it were accepted
    assert not Comment.objects.exists()
    assert mailoutbox == []


def test_a_form_sent_back_too_quickly_is_refused(client, medicine, post_data, settings):
    settings.COMMENT_MIN_SECONDS = 5
    response = client.post(post_url(medicine), post_data(timestamp=make_timestamp(medicine.pk)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "That was very quick" in html
    assert "Does baclofen make you sleepy?" in html
    assert not Comment.objects.exists()

    earlier = make_timestamp(medicine.pk, now=int(time.time()) - 6)
    assert client.post(post_url(medicine), post_data(timestamp=earlier)).status_code == 303


@pytest.mark.parametrize("stamp", ["", "forged:value", "other-page"])
def test_missing_or_forged_timestamp_is_refused_when_the_check_is_on(client, medicine, post_data, settings, stamp):
    settings.COMMENT_MIN_SECONDS = 1
    if stamp == "other-page":
        stamp = make_timestamp(medicine.pk + 1000, now=int(time.time()) - 60)
    response = client.post(post_url(medicine), post_data(timestamp=stamp))
    assert response.status_code == 400
    assert "We could not check this form" in response.content.decode()


def test_expired_form_is_refused(client, medicine, post_data, settings):
    settings.COMMENT_MIN_SECONDS = 1
    stale = make_timestamp(medicine.pk, now=int(time.time()) - 3 * 24 * 3600)
    response = client.post(post_url(medicine), post_data(timestamp=stale))
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()


def test_rate_limit_answers_429_with_a_readable_page(client, medicine, post_data, settings):
    settings.COMMENT_RATE_LIMIT = 2
    settings.COMMENT_RATE_WINDOW = 600
    for _ in range(2):
        assert client.post(post_url(medicine), post_data(), REMOTE_ADDR="192.0.2.7").status_code == 303
    response = client.post(post_url(medicine), post_data(), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "Please wait before commenting again" in html
    assert "about 10 minutes" in html
    assert "<html" in html
    assert Comment.objects.count() == 2
    assert client.post(post_url(medicine), post_data(), REMOTE_ADDR="192.0.2.8").status_code == 303


def test_honeypot_posts_count_towards_the_rate_limit(client, medicine, post_data, settings):
    settings.COMMENT_RATE_LIMIT = 1
    client.post(post_url(medicine), post_data(website="x"), REMOTE_ADDR="192.0.2.9")
    assert client.post(post_url(medicine), post_data(website="x"), REMOTE_ADDR="192.0.2.9").status_code == 429


def test_unknown_or_unpublished_page_is_404(client, medicine, post_data, site_pages):
    assert client.post(reverse("discussion:post", args=[999999]), post_data()).status_code == 404
    medicine.unpublish()
    assert client.post(post_url(medicine), post_data()).status_code == 404
    # Only guides and articles take comments.
    assert client.post(post_url(site_pages["home"]), post_data(page=site_pages["home"])).status_code == 404
    assert not Comment.objects.exists()


def test_get_is_not_allowed(client, medicine):
    assert client.get(post_url(medicine)).status_code == 405


def test_csrf_is_enforced(medicine, post_data):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(post_url(medicine), post_data()).status_code == 403
    assert not Comment.objects.exists()

    token = "a" * 32
    csrf_client.cookies["csrftoken"] = token
    response = csrf_client.post(post_url(medicine), post_data(csrfmiddlewaretoken=token))
    assert response.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "proxies, forwarded, remote, expected",
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),  # one proxy: the address it saw, not the client's claim
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "10.0.0.1", "1.2.3.4"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "not-an-ip", "10.0.0.1", None),
    ],
)
def test_client_ip_behind_trusted_proxies(rf, settings, proxies, forwarded, remote, expected):
    from apothecary.core.ratelimit import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
