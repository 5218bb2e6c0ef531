"""``WAGTAIL_FINISH_WORKFLOW_ACTION``. Wagtail imports it while its own models load, so it imports nothing at
module level; the rule is ``medicines.services.finish_review``."""


def finish_review(workflow_state, user=None) -> None:
    from medicines.services import finish_review as finish

    finish(workflow_state, user=user)
