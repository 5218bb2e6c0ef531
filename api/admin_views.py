"""Staff API tokens in the Wagtail admin: list, create (the token is shown once), rename, revoke.

Who may manage whose tokens follows Wagtail's own rule for its API tokens
(``wagtail.users.utils``): the model permission for oneself, plus the user
model's change permission for other staff; never a superuser's token unless
one is a superuser. Creating and revoking go through ``api.services``, which
checks the owner's permissions against the scopes and logs both.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.users.utils import get_manageable_token_owners, user_can_manage_token

from api import services
from api.models import Scope


def manageable_owners(user):
    """The active staff members ``user`` may create or manage staff API tokens for."""
    return get_manageable_token_owners(user).filter(is_staff=True, is_active=True).order_by("email")


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses the token, e.g. “Stock sync from the till”.")
    owner = forms.ModelChoiceField(
        queryset=None, help_text="The member of staff the token acts for; it can never do more than they can."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, help_text="What the token may do."
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ManageableTokensMixin:
    def get_queryset(self):
        return super().get_queryset().filter(owner__in=manageable_owners(self.request.user))


class TokenIndexView(ManageableTokensMixin, generic.IndexView):
    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)("name", label="Name", get_url=self.get_edit_url),
            Column("prefix", label="Token starts"),
            Column("owner", label="Owner"),
            Column("scope_labels", label="Scopes"),
            DateColumn("created_at", label="Created"),
            DateColumn("last_used_at", label="Last used"),
            Column("status_label", label="Status"),
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("owner")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        delete_url = self.get_delete_url(instance)
        for button in buttons:
            if delete_url and button.url == delete_url:
                button.label = "Revoke"
        return buttons


class TokenCreateView(generic.CreateView):
    """Creates the token through ``api.services.create_token`` and shows it once, never to be seen again."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # a plain form: the service makes the record
        kwargs["owners"] = manageable_owners(self.request.user)
        return kwargs

    def get_initial(self):
        return {"owner": self.request.user.pk}

    def form_valid(self, form):
        owner = form.cleaned_data["owner"]
        if not user_can_manage_token(self.request.user, owner, "api.add_apitoken"):
            raise PermissionDenied
        try:
            self.object, raw_token = services.create_token(
                name=form.cleaned_data["name"],
                owner=owner,
                scopes=form.cleaned_data["scopes"],
                created_by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        context = super().get_context_data(token=raw_token, object=self.object)
        context["page_title"] = context["header_title"] = "Staff API token created"
        response = TemplateResponse(self.request, "api/admin/token_created.html", context)
        response["Cache-Control"] = "no-store"  # the page holds the token itself
        return response


class TokenEditView(ManageableTokensMixin, generic.EditView):
    """Renaming only; the scopes and owner of a token never change (revoke it and make another)."""

    delete_item_label = "Revoke"


class TokenRevokeView(ManageableTokensMixin, generic.DeleteView):
    """Revoking keeps the token's row, for the history; it can never sign in again."""

    page_title = "Revoke"
    template_name = "api/admin/confirm_revoke.html"

    @property
    def confirmation_message(self):
        return f"Revoke the staff API token “{self.object.name}”? Anything using it will be refused at once."

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not user_can_manage_token(request.user, self.object.owner, "api.delete_apitoken"):
            raise PermissionDenied
        services.revoke_token(self.object, by=request.user)
        messages.success(request, f"Staff API token “{self.object.name}” revoked.")
        return redirect(self.get_success_url())
