"""Accounts in the admin: the log entries of staff access changes say what changed; log-in lock-outs."""

from axes.models import AccessAttempt
from django.conf import settings
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from accounts import audit
from apothecary.core.admin import LimitedPermissionPolicy


class AccessChangeFormatter(LogFormatter):
    """ "Groups: added Pharmacists; removed Editors"."""

    what = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        parts = []
        if data.get("added"):
            parts.append("added " + ", ".join(data["added"]))
        if data.get("removed"):
            parts.append("removed " + ", ".join(data["removed"]))
        return f"{self.what}: {'; '.join(parts) or 'no change'}"


class FlagsFormatter(LogFormatter):
    label = "Change staff status"

    def format_message(self, log_entry):
        changes = (log_entry.data or {}).get("changes", {})
        return "Changed " + "; ".join(f"{flag} {old} → {new}" for flag, (old, new) in changes.items())


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    for action, label, what in (
        (audit.GROUPS_CHANGED, "Change groups", "Groups"),
        (audit.USER_PERMISSIONS_CHANGED, "Change user permissions", "User permissions"),
        (audit.GROUP_PERMISSIONS_CHANGED, "Change group permissions", "Group permissions"),
    ):
        actions.register_action(action)(
            type(f"{label.title().replace(' ', '')}Formatter", (AccessChangeFormatter,), {"label": label, "what": what})
        )
    actions.register_action(audit.FLAGS_CHANGED)(FlagsFormatter)
    actions.register_action("accounts.two_factor_set_up", "Set up two-factor sign-in", "Set up two-factor sign-in")
    actions.register_action("accounts.two_factor_reset", "Reset two-factor sign-in", "Removed the two-factor device")
    actions.register_action("accounts.delete_account", "Delete account", "Deleted the account; pharmacy records kept")
    actions.register_action("accounts.download_data", "Download data", "Downloaded their data")


# ---------------------------------------------------------------------------
# Log-in lock-outs: who is paused, and lifting a pause (Settings → Log-in lock-outs)

register_permission_policy(AccessAttempt, LimitedPermissionPolicy(AccessAttempt, refused=["add", "change"]))


class LockoutViewSet(ModelViewSet):
    """Failed log-ins by account and address; a row at the limit is a paused log-in. Deleting a row lifts it
    (logged, like every admin delete)."""

    model = AccessAttempt
    icon = "lock"
    menu_label = "Log-in lock-outs"
    url_prefix = "lockouts"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = []  # nobody adds or edits a row (the permission policy refuses both)
    list_display = [
        Column("username", label="Account (e-mail)"),
        Column("ip_address", label="Address"),
        Column(
            "failures_since_start",
            label="Wrong passwords",
            accessor=lambda attempt: (
                f"{attempt.failures_since_start} of {settings.AXES_FAILURE_LIMIT}"
                + (" — paused" if attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT else "")
            ),
        ),
        DateColumn("attempt_time", label="Last attempt"),
    ]
    search_fields = ["username", "ip_address"]
    search_backend_name = None
    ordering = ["-attempt_time"]


@hooks.register("register_admin_viewset")
def register_lockouts():
    return LockoutViewSet("lockouts")


# ---------------------------------------------------------------------------
# Deleting a person in the admin goes through the same service as their own deletion: never a 500, and the
# pharmacy's records are kept.


def _delete_people(request, users):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from accounts import personal_data

    for user in users:
        try:
            report = personal_data.delete_account(user, by=request.user)
        except PermissionDenied as exc:
            messages.error(request, f"{user.email} was not deleted: {exc}")
        else:
            messages.success(request, f"{report.email} deleted: {'; '.join(report.lines)}.")
    return redirect("wagtailusers_users:index")


@hooks.register("before_delete_user")
def delete_through_the_personal_data_service(request, user):
    if request.method == "POST":
        return _delete_people(request, [user])
    return None


@hooks.register("before_bulk_action")
def bulk_delete_through_the_personal_data_service(request, action_type, objects, action_class_instance):
    from accounts.models import User

    if action_type == "delete" and objects and all(isinstance(obj, User) for obj in objects):
        return _delete_people(request, objects)
    return None


@hooks.register("after_bulk_action")
def log_bulk_active_state_changes(request, action_type, objects, action_class_instance):
    """Wagtail's bulk "set active state" updates users in one query (no save signal): log each change here."""
    from wagtail.log_actions import log

    from accounts.models import User

    if action_type != "set_active_state":
        return None
    before = {obj.pk: obj.is_active for obj in objects}
    for user in User.objects.filter(pk__in=before):
        if user.is_active != before[user.pk]:
            log(
                instance=user,
                action=audit.FLAGS_CHANGED,
                data={"changes": {"is_active": [before[user.pk], user.is_active]}},
            )
    return None
