"""A pharmacist answers a question from the admin: the "Answer" screen of a comment.

It shows the question (the thread a reply belongs to), its status and the replies it has, a button that publishes
a question awaiting moderation, and the answer form. The answer is written through ``services.answer``: only a
pharmacist may answer, the question is published with it, both are logged, and the asker is e-mailed if they asked.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.panels import Panel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from apothecary.core.roles import is_pharmacist
from discussion import services
from discussion.models import BODY_MAX_LENGTH, Comment, CommentStatus
from discussion.text import normalise_newlines

ONLY_PHARMACISTS = "Only a pharmacist can answer questions."


def answer_url(comment) -> str:
    return reverse("wagtailsnippets_discussion_comment:answer", args=[comment.pk])


def edit_url(comment) -> str:
    return reverse("wagtailsnippets_discussion_comment:edit", args=[comment.pk])


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Published at once under the question, with your name and the Pharmacist badge; never your "
        "e-mail address. Plain text.",
    )

    def clean_answer(self):
        return normalise_newlines(self.cleaned_data["answer"]).strip()


class AnswerView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "discussion/admin/answer.html"
    page_title = "Answer"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("discussion.view_comment"):
            raise PermissionDenied("You need the view_comment permission to see comments.")
        comment = get_object_or_404(Comment.objects.select_related("page", "parent"), pk=kwargs["pk"])
        self.question = comment.parent if comment.parent_id is not None else comment
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.question.excerpt

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_discussion_comment:list"), "label": "Comments"},
            {"url": edit_url(self.question), "label": self.question.excerpt},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=AnswerForm()))

    def post(self, request, *args, **kwargs):
        user = request.user
        form = AnswerForm(request.POST)
        try:
            if request.POST.get("action") == "publish":
                services.approve([self.question], user)
                messages.success(request, "The question is published.")
                return redirect(answer_url(self.question))
            if not form.is_valid():
                messages.error(request, "The answer was not published: correct the errors below.")
                return self.render_to_response(self.get_context_data(form=form), status=400)
            reply = services.answer(self.question, user, form.cleaned_data["answer"])
        except PermissionDenied as refused:
            messages.error(request, str(refused) or ONLY_PHARMACISTS)
            return self.render_to_response(self.get_context_data(form=form), status=403)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request,
            "Your answer is published.",
            buttons=[messages.button(f"{reply.page.url}#comment-{reply.pk}", "View it on the page")]
            if reply.page.url
            else [],
        )
        return redirect(answer_url(self.question))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question = self.question
        context.update(
            question=question,
            replies=question.replies.exclude(status=CommentStatus.SPAM).order_by("created_at", "pk"),
            may_answer=is_pharmacist(self.request.user),
            may_publish=question.status != CommentStatus.APPROVED
            and self.request.user.has_perm("discussion.change_comment")
            and services.may_publish(question, self.request.user),
            held=question.held_concerns(),
            edit_url=edit_url(question),
        )
        return context


class AnswerLinkPanel(Panel):
    """On a comment's edit screen: the link to answer it as a pharmacist (or why one cannot)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "discussion/admin/answer_link_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.instance is not None and self.instance.pk:
                context["answer_url"] = answer_url(self.instance)
                context["held"] = self.instance.held_concerns()
            context["may_answer"] = is_pharmacist(self.request.user)
            return context
