"""Schemas of the plan."""

from marshmallow import Schema, fields


class ProjectQuerySchema(Schema):
    year = fields.Integer()


class UnitSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ProjectSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    name = fields.String()
    applicant_unit = fields.String()
    host_unit = fields.Nested(UnitSchema)
    funding = fields.Function(lambda p: p.funding.value)


class PlanYearSchema(Schema):
    year = fields.Integer()
    deadline = fields.Date()
    notice = fields.String()
