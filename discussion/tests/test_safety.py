"""Reader questions triaged for safety, end to end: what the reader sees at once after posting (the emergency
numbers, where to report a side effect), the pharmacists' alert, who may publish a held comment, and the admin's
label, filter and reasons."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Site

from discussion import services
from discussion.models import Comment, CommentStatus, Concern
from discussion.views import AWAITING_MODERATION, HELD
from home.models import Jurisdiction, PharmacySettings

pytestmark = pytest.mark.django_db

OVERDOSE = "I think I took too many of my tablets by mistake, about twenty. what should I do"
SIDE_EFFECT = "Since starting it I've had a pounding headache every afternoon."
DOSE = "How many can I take in one day?"
LISTING = reverse("wagtailsnippets_discussion_comment:list")


def pharmacy_settings(**values):
    """Save the default site's pharmacy settings with ``values``, as an administrator would in the admin."""
    pharmacy, _ = PharmacySettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(pharmacy, name, value)
    pharmacy.save()  # a new content version: the cached settings are read afresh
    return pharmacy


@pytest.fixture
def post(client, medicine, post_data, django_capture_on_commit_callbacks):
    """Post ``text`` through the public form (its e-mails sent on commit) and return the page the reader lands on."""

    def send(text, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("discussion:post", args=[medicine.pk]), post_data(comment=text, **fields))
        assert response.status_code == 303
        return client.get(response["Location"]).content.decode()

    return send


# -- what the reader sees at once --------------------------------------------------------------------------------


def test_an_emergency_shows_the_local_numbers_at_once_and_stays_unpublished(post, site_pages):
    pharmacy_settings(emergency_number="555 0100", poison_control="555-0111", crisis_line="Crisis Line 555-0122")
    html = post(OVERDOSE)
    assert 'id="emergency-advice"' in html and 'role="alert"' in html
    assert "If this is an emergency, get help now" in html
    assert 'href="tel:5550100"' in html and "555 0100" in html
    assert "555-0111" in html and "Crisis Line 555-0122" in html
    assert AWAITING_MODERATION in html and HELD in html
    assert 'id="side-effect-reporting"' not in html
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert [(held.concern, held.reason) for held in comment.held_concerns()][0] == (Concern.EMERGENCY, "took too many")


def test_with_no_numbers_set_the_reader_is_told_to_call_the_local_emergency_number(post, site_pages):
    html = post("my lips and tongue are swelling up since the first tablet")
    assert "Call your local emergency number." in html and "tel:" not in html


def test_a_reported_side_effect_shows_where_to_report_it(post, site_pages):
    html = post(SIDE_EFFECT)
    assert 'id="side-effect-reporting"' in html and 'id="emergency-advice"' not in html
    assert 'href="https://www.fda.gov/safety/medwatch"' in html and "MedWatch (FDA)" in html  # the US default


def test_the_reporting_scheme_follows_the_jurisdiction_and_the_settings(post, site_pages):
    pharmacy_settings(jurisdiction=Jurisdiction.UK)
    assert 'href="https://yellowcard.mhra.gov.uk"' in post(SIDE_EFFECT)
    pharmacy_settings(side_effect_scheme_name="<b>Our regulator</b>", side_effect_scheme_url="https://report.example/")
    html = post("it made me so dizzy I had to sit down")
    assert 'href="https://report.example/"' in html
    assert "&lt;b&gt;Our regulator&lt;/b&gt;" in html and "<b>Our regulator</b>" not in html


def test_the_advice_is_shown_once_like_the_confirmation(client, post, medicine):
    assert 'id="emergency-advice"' in post(OVERDOSE)
    assert 'id="emergency-advice"' not in client.get(medicine.url).content.decode()


def test_a_question_held_for_other_reasons_says_so_without_advice(post, site_pages):
    html = post(DOSE)
    assert HELD in html and 'id="emergency-advice"' not in html and 'id="side-effect-reporting"' not in html
    assert [held.concern for held in Comment.objects.get().held_concerns()] == [Concern.DOSE]


def test_an_ordinary_comment_is_not_held(post, site_pages):
    html = post("Thank you, very clear guide.")
    assert AWAITING_MODERATION in html and HELD not in html and 'id="emergency-advice"' not in html
    assert not Comment.objects.get().held_concerns()


def test_every_readers_confirmation_says_it_is_no_emergency_service(post, site_pages, client, medicine, post_data):
    # The rules can miss an emergency said in words they do not know: every reader is told where to call.
    assert 'id="not-an-emergency-service"' in post("Thank you, very clear guide.")
    assert "call your local emergency number" in post(DOSE)
    pharmacy_settings(emergency_number="555 0100")
    html = post("Is there a generic version?")
    assert 'id="not-an-emergency-service"' in html and 'href="tel:5550100"' in html
    assert 'id="not-an-emergency-service"' not in post(OVERDOSE)  # the full advice instead
    assert 'id="not-an-emergency-service"' in post("Buy now", website="http://spam.example")  # looks the same


def test_the_readers_text_is_escaped_where_it_is_shown(post, site_pages):
    html = post("<script>alert(1)</script> I took too many")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# -- the pharmacists' alert --------------------------------------------------------------------------------------


def sent_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def test_an_emergency_alerts_each_pharmacist_marked_urgent(post, mailoutbox, pharmacist, moderator, settings):
    settings.SITE_URL = "https://pharmacy.example"
    post(OVERDOSE)
    (alert,) = sent_to(mailoutbox, pharmacist.email)
    assert alert.subject.startswith("URGENT")
    assert alert.extra_headers["Importance"] == "high" and alert.extra_headers["X-Priority"].startswith("1")
    assert "Emergency: “took too many”" in alert.body and OVERDOSE in alert.body
    assert "https://pharmacy.example/admin/snippets/discussion/comment/answer/" in alert.body
    assert "alex@example.com" not in alert.body
    (notice,) = sent_to(mailoutbox, moderator.email)
    assert notice.subject.startswith("URGENT")


def test_the_urgent_alert_goes_to_the_configured_addresses(post, mailoutbox, pharmacist, settings):
    settings.DISCUSSION_PHARMACIST_EMAILS = ["rx-team@example.com"]
    post("my husband collapsed and we cant wake him up")
    (alert,) = sent_to(mailoutbox, "rx-team@example.com")
    assert alert.subject.startswith("URGENT") and not sent_to(mailoutbox, pharmacist.email)


def test_a_held_question_that_is_no_emergency_is_not_marked_urgent(post, mailoutbox, pharmacist):
    post(SIDE_EFFECT)
    (alert,) = sent_to(mailoutbox, pharmacist.email)
    assert not alert.subject.startswith("URGENT") and "Importance" not in alert.extra_headers
    assert "Reports a side effect: “" in alert.body


def test_a_held_reply_reaches_the_pharmacists_too(post, mailoutbox, pharmacist, make_comment):
    thread = make_comment("Approved question")
    post("my son has had a rash since he started it", parent=str(thread.pk))
    (alert,) = sent_to(mailoutbox, pharmacist.email)
    assert "New reply for a pharmacist" in alert.subject


# -- who may publish ---------------------------------------------------------------------------------------------


def test_only_a_pharmacist_may_publish_a_held_comment(medicine, moderator, pharmacist, site_pages):
    from apothecary.core.roles import install_roles

    install_roles()
    comment = services.post_comment(medicine, name="Alex", email="alex@example.com", body=OVERDOSE)
    plain = services.post_comment(medicine, name="Sam", email="sam@example.com", body="Lovely guide.")
    with pytest.raises(PermissionDenied, match="Only a pharmacist"):
        services.approve([comment, plain], moderator)
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.PENDING}  # nothing published
    assert services.approve([plain], moderator) == 1
    assert services.approve([comment], pharmacist) == 1


def test_a_moderator_writing_an_emergency_is_held_too(medicine, moderator, site_pages):
    from apothecary.core.roles import install_roles

    install_roles()
    comment = services.post_comment(medicine, name="Mo", email=moderator.email, body=OVERDOSE, user=moderator)
    assert comment.status == CommentStatus.PENDING and comment.is_urgent


def test_a_pharmacists_answer_is_not_triaged(medicine, pharmacist):
    answer = services.post_comment(
        medicine, name="Sam", email=pharmacist.email, body="If you took too many, call poison control.", user=pharmacist
    )
    assert answer.status == CommentStatus.APPROVED and not answer.held_concerns()


# -- the admin ---------------------------------------------------------------------------------------------------


def bulk_url(action, *comments):
    ids = "&".join(f"id={comment.pk}" for comment in comments)
    return f"/admin/bulk/discussion/comment/{action}/?{ids}&next={LISTING}"


@pytest.fixture
def held(medicine):
    """Three reader comments: an emergency, a reported side effect, and one that is not held."""
    post = services.post_comment
    return {
        "emergency": post(medicine, name="Avery", email="a@example.com", body=OVERDOSE),
        "side_effect": post(medicine, name="Blake", email="b@example.com", body=SIDE_EFFECT),
        "plain": post(medicine, name="Casey", email="c@example.com", body="Is there a generic version?"),
    }


def test_the_listing_labels_held_comments_and_filters_by_concern(admin_client, held):
    html = admin_client.get(LISTING).content.decode()
    assert "Held for a pharmacist" in html and "URGENT: Emergency" in html and "Reports a side effect" in html
    filtered = admin_client.get(LISTING, {"held_for": "side_effect"}).content.decode()
    assert "Blake" in filtered and "Avery" not in filtered and "Casey" not in filtered
    urgent = admin_client.get(LISTING, {"held_for": "emergency"}).content.decode()
    assert "Avery" in urgent and "Blake" not in urgent


def test_the_listing_reads_the_concerns_in_one_query(admin_client, medicine, django_assert_max_num_queries, held):
    for number in range(10):
        services.post_comment(medicine, name=f"R{number}", email="r@example.com", body=f"{SIDE_EFFECT} {number}")
    admin_client.get(LISTING)  # warm the caches
    with django_assert_max_num_queries(40) as few:
        admin_client.get(LISTING)
    for number in range(10):
        services.post_comment(medicine, name=f"S{number}", email="s@example.com", body=f"{DOSE} {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(LISTING)


def test_the_edit_and_answer_screens_say_why_it_is_held(admin_client, held):
    emergency = held["emergency"]
    for name in ("edit", "answer"):
        html = admin_client.get(reverse(f"wagtailsnippets_discussion_comment:{name}", args=[emergency.pk])).content
        html = html.decode()
        assert "URGENT: Held for a pharmacist." in html and "Emergency: “took too many”" in html


def test_bulk_approve_leaves_held_comments_to_a_pharmacist(admin_client, held, pharmacist_client):
    confirm = admin_client.get(bulk_url("approve", held["emergency"], held["plain"])).content.decode()
    assert "permission" in confirm
    admin_client.post(bulk_url("approve", held["emergency"], held["plain"]))
    statuses = dict(Comment.objects.values_list("author_name", "status"))
    assert statuses["Avery"] == CommentStatus.PENDING and statuses["Casey"] == CommentStatus.APPROVED
    pharmacist_client.post(bulk_url("approve", held["emergency"]))
    assert Comment.objects.get(author_name="Avery").status == CommentStatus.APPROVED


# -- the settings ------------------------------------------------------------------------------------------------


def test_an_administrator_sets_the_numbers_in_the_pharmacy_settings(admin_client, site_pages, post):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "pharmacysettings", site.pk])
    form = admin_client.get(url).content.decode()
    for field in ("emergency_number", "poison_control", "crisis_line", "side_effect_scheme_name"):
        assert f'name="{field}"' in form
    data = {
        "pharmacy_name": "Apothecary",
        "medical_disclaimer": "Information only.",
        "price_notice": "Illustrative prices.",
        "jurisdiction": "uk",
        "emergency_number": "555 0199",
        "poison_control": "",
        "crisis_line": "Talk line 555-0188",
        "side_effect_scheme_name": "",
        "side_effect_scheme_url": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pharmacy = PharmacySettings.objects.get(site=site)
    assert (pharmacy.emergency_number, pharmacy.crisis_line) == ("555 0199", "Talk line 555-0188")
    assert pharmacy.side_effect_scheme == ("the Yellow Card scheme (MHRA)", "https://yellowcard.mhra.gov.uk")
    html = post("I can't cope any more, I've been saving up my tablets")
    assert "555 0199" in html and "Talk line 555-0188" in html and "Poison control" not in html
