"""HTTP endpoints of reminders: a trainee's subscriptions, a class's reminders for staff."""

from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, current_trainee, require
from backend.auth.models import Role
from backend.classes.access import class_for_staff
from backend.core.transaction import writes
from backend.reminders import logic
from backend.reminders.schemas import (
    ClassReminderSchema,
    CreditsSchema,
    SubscriptionsSchema,
    SubscriptionStateSchema,
)

blp = Blueprint("reminders", __name__, description="提醒：微信订阅消息")


@blp.route("/me/subscriptions", methods=["POST"])
@writes
@require(TRAINEE)
@blp.arguments(SubscriptionsSchema)
@blp.response(200, CreditsSchema)
def subscribe(data):
    """What the user accepted in wx.requestSubscribeMessage: one credit per accept and kind."""
    return {"credits": logic.add_credits(current_trainee().id, data["accepted"])}


@blp.route("/me/subscriptions", methods=["GET"])
@require(TRAINEE)
@blp.response(200, SubscriptionStateSchema)
def my_subscriptions():
    """The template id of each kind that is on (for wx.requestSubscribeMessage) and my credits."""
    ids = {kind.value: tid for kind, tid in logic.templates().items()}
    return {"templates": ids, "credits": logic.credits_of(current_trainee().id)}


@blp.route("/classes/<int:class_id>/reminders", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, ClassReminderSchema(many=True))
def class_reminders(class_id):
    """Per kind and target: sent, skipped for lack of credit, failed; oldest first."""
    return logic.class_reminders(class_for_staff(class_id).id)
