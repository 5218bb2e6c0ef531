"""Accounts in the admin: the log entries of staff access changes say what changed."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from accounts import audit


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
