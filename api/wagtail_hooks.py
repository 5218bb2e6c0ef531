"""Staff API tokens under Settings in the Wagtail admin, and the staff API's entries in the history."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from api import admin_views
from api.models import ApiToken


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = "Staff API tokens"
    menu_name = "staff_api_tokens"
    menu_order = 603
    add_to_settings_menu = True
    url_prefix = "staff-api-tokens"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name"]  # the edit screen renames; scopes and owner are fixed at creation
    index_view_class = admin_views.TokenIndexView
    add_view_class = admin_views.TokenCreateView
    edit_view_class = admin_views.TokenEditView
    delete_view_class = admin_views.TokenRevokeView
    ordering = ["-created_at", "-pk"]

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return admin_views.ApiTokenForm


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet("staff_api_tokens")


@hooks.register("register_log_actions")
def register_api_log_actions(actions):
    actions.register_action("api.create_token", "Create staff API token", "Created a staff API token")
    actions.register_action("api.revoke_token", "Revoke staff API token", "Revoked a staff API token")
    actions.register_action(
        "api.update_packs", "Update packs (staff API)", "Updated a pack's price or stock via the API"
    )
    actions.register_action(
        "api.update_packs_refused", "Refused pack update (staff API)", "A bulk pack update was refused: nothing changed"
    )
    actions.register_action("api.read_orders", "Read review queue (staff API)", "Read the orders awaiting review")


@hooks.register("after_bulk_action")
def revoke_tokens_after_bulk_deactivation(request, action_type, objects, action_class_instance):
    """Wagtail's bulk "set active state" updates users in one query (no save signal): revoke their tokens here."""
    from django.contrib.auth import get_user_model

    from api.services import revoke_tokens_of_former_staff

    if action_type == "set_active_state":
        for user in get_user_model().objects.filter(pk__in=[obj.pk for obj in objects]):
            revoke_tokens_of_former_staff(user)
