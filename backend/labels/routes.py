"""GET /labels: every Chinese label of the app, for the mini-program and the dashboards."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.labels import ENUM_SETS, all_labels

blp = Blueprint("labels", __name__, description="界面用语：状态、方式、等级等的中文名称")

LabelsSchema = Schema.from_dict(
    {name: fields.Dict(keys=fields.String(), values=fields.String()) for name in ENUM_SETS}
    | {
        "survey": fields.Dict(
            metadata={"description": "附件2: levels, sections, lectures, items, as in GET survey"}
        )
    },
    name="LabelsSchema",
)


@blp.route("/labels", methods=["GET"])
@blp.response(200, LabelsSchema)
def labels():
    """Every label set, {value: 中文}: class status and mode, funding, attendance mode and
    state, budget items, and 附件2's levels and items. No log-in needed; it changes only with
    a new release of the server."""
    return all_labels()
