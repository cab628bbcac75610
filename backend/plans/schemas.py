"""Schemas of the plan: years, projects, host units."""

from marshmallow import Schema, fields, validate

from backend.core.schemas import Text
from backend.exports.schemas import Money
from backend.plans.models import Funding

#: 经费类型 as 附件1 writes it → the API's value.
FUNDING_WORDS = {funding.label: funding.value for funding in Funding}
FUNDING_CHOICE = validate.OneOf(
    list(Funding), error="应为 " + " 或 ".join(f"{f.label}（{f.value}）" for f in Funding)
)


class ProjectQuerySchema(Schema):
    year = fields.Integer()


class UnitRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class UnitSchema(UnitRefSchema):
    #: True while the name waits for the admin to merge it or confirm it.
    flagged = fields.Function(lambda u: u.similar_to_id is not None)
    #: The existing unit whose name this one's is close to.
    similar_to = fields.Nested(UnitRefSchema, allow_none=True)


class UnitQuerySchema(Schema):
    flagged = fields.Boolean()


class UnitMergeSchema(Schema):
    #: The unit that keeps its name and receives the projects and accounts.
    into = fields.Integer(required=True)


class ProjectSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    name = fields.String()
    applicant_unit = fields.String()
    host_unit = fields.Nested(UnitSchema)
    funding = fields.Function(lambda p: p.funding.value)


class ProjectInputSchema(Schema):
    """One row of 附件1; `host_unit` is the unit's full official name."""

    name = Text(100, required=True)
    applicant_unit = Text(100, required=True)
    host_unit = Text(100, required=True)
    funding = fields.String(required=True, validate=FUNDING_CHOICE)


class ProjectUpdateSchema(ProjectInputSchema):
    """Any of the fields of a project (PATCH)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(partial=True, **kwargs)


class PlanNumbersSchema(Schema):
    """The numbers a notice sets; left out on creation they are the 2023 notice's."""

    notice = Text(100)
    deadline = fields.Date()
    subsidy_cap = Money(validate=validate.Range(max=10_000_000))
    report_days = fields.Integer(validate=validate.Range(min=1, max=365))
    expense_days = fields.Integer(validate=validate.Range(min=1, max=365))
    class_size = fields.Integer(validate=validate.Range(min=1, max=10_000))
    class_days = fields.Integer(validate=validate.Range(min=1, max=60))


class PlanCreateSchema(PlanNumbersSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    notice = Text(100, required=True)
    deadline = fields.Date(required=True)


class PlanCopySchema(Schema):
    #: The year whose projects are copied.
    from_year = fields.Integer(required=True)


class PlanYearSchema(PlanNumbersSchema):
    year = fields.Integer()
    #: How many projects and classes the year has.
    projects = fields.Integer()
    classes = fields.Integer()


class ImportResultSchema(Schema):
    created = fields.Integer()
    units_created = fields.Integer()
    #: New units whose name is close to an existing unit's: the admin merges or confirms them.
    units_flagged = fields.List(fields.String())
