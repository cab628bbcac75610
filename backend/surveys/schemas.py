"""Survey schemas: the returned form (validated against the class's schedule) and answers."""

from collections.abc import Sequence

from marshmallow import Schema, ValidationError, fields, validate, validates

from backend.classes.models import Session
from backend.core.schemas import ChinaDateTime, Text
from backend.surveys.form import ANSWER_LEVELS_TEXT, FIXED_ITEMS, LEVELS, SECTION_TITLES
from backend.surveys.release import BATCH_MAX, BATCH_MIN

LEVEL_VALUES = [level.value for level in LEVELS]
SUGGESTIONS_MAX = 2000


class LevelField(fields.String):
    """One rating: excellent, good, fair or poor; messages name the item in Chinese."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(
            required=True,
            validate=validate.OneOf(
                LEVEL_VALUES, error=f"「{label}」的评价应为{ANSWER_LEVELS_TEXT}之一"
            ),
            error_messages={
                "required": f"请评价「{label}」",
                "null": f"请评价「{label}」",
                "invalid": f"「{label}」的评价应为{ANSWER_LEVELS_TEXT}之一",
            },
            metadata={"enum": LEVEL_VALUES},
            **kwargs,
        )


def _section_schema(section: str, name: str) -> type[Schema]:
    return Schema.from_dict(
        {f.key: LevelField(f.long_label) for f in FIXED_ITEMS if f.section == section}, name=name
    )


class SectionField(fields.Nested):
    """A section of the form (教学评价, 服务管理评价): an object of levels."""

    def __init__(self, section: str, name: str, title: str) -> None:
        self.title = title
        super().__init__(
            _section_schema(section, name),
            required=True,
            error_messages={"required": f"请填写{title}", "null": f"请填写{title}"},
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError(f"{self.title}应为对象，每项一个评价等级")
        return super()._deserialize(value, attr, data, **kwargs)


class SurveyAnswerSchema(Schema):
    """A returned form. Built with the class's sessions: one rating for each, and no other."""

    lectures = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(metadata={"type": "string", "enum": LEVEL_VALUES}),
        required=True,
        error_messages={"required": "请评价每一门课程", "null": "请评价每一门课程"},
        metadata={"description": "session id → level, one entry for every session of the class"},
    )
    faculty_overall = LevelField(FIXED_ITEMS[0].long_label)
    teaching = SectionField("teaching", "SurveyTeachingAnswer", SECTION_TITLES["teaching"])
    service = SectionField("service", "SurveyServiceAnswer", SECTION_TITLES["service"])
    satisfaction = LevelField(FIXED_ITEMS[-1].long_label)
    suggestions = Text(SUGGESTIONS_MAX, multiline=True, load_default="", allow_none=True)

    def __init__(self, sessions: Sequence[Session] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.sessions = sessions

    @validates("lectures")
    def _one_rating_per_session(self, value: dict, data_key: str, **kwargs) -> None:
        expected = {str(s.id): s for s in self.sessions}
        errors: dict[str, list[str]] = {}
        for key, session in expected.items():
            name = f"课程「{session.topic}」（{session.lecturer.name}）"
            if key not in value or value[key] is None:
                errors[key] = [f"请评价{name}"]
            elif value[key] not in LEVEL_VALUES:
                errors[key] = [f"{name}的评价应为{ANSWER_LEVELS_TEXT}之一"]
        for key in value.keys() - expected.keys():
            errors[key] = ["本班没有这门课程，请刷新问卷后重新填写"]
        if errors:
            raise ValidationError(errors)


def validate_answer(body: object, sessions: Sequence[Session]) -> dict:
    """The cleaned form; marshmallow's ValidationError lists every bad field at once."""
    return SurveyAnswerSchema(sessions).load(body)


class ReceiptSchema(Schema):
    id = fields.Integer(metadata={"description": "the receipt's number (not linked to answers)"})
    submitted_at = ChinaDateTime()


class SurveyStateSchema(Schema):
    open = fields.Boolean()
    batch_size = fields.Integer(metadata={"description": "B, the release batch"})
    closes_after_days = fields.Integer()
    closes_at = ChinaDateTime(metadata={"description": "when it closes by itself"})


class SurveySettingsSchema(Schema):
    closes_after_days = fields.Integer(
        validate=validate.Range(min=0, max=365, error="自动关闭天数应在 0 到 365 之间")
    )
    batch_size = fields.Integer(
        validate=validate.Range(
            min=BATCH_MIN, max=BATCH_MAX, error=f"每批公布份数应在 {BATCH_MIN} 到 {BATCH_MAX} 之间"
        ),
        metadata={"description": "B: answers are shown in whole batches of B forms"},
    )


class LectureSchema(Schema):
    session_id = fields.Integer()
    topic = fields.String()
    lecturer = fields.String()
    starts_at = ChinaDateTime()


class SurveyFormSchema(SurveyStateSchema):
    class_id = fields.Integer()
    class_title = fields.String()
    levels = fields.List(fields.String())
    lectures = fields.List(fields.Nested(LectureSchema))
    teaching = fields.List(fields.String())
    service = fields.List(fields.String())
    labels = fields.Dict()
    sections = fields.List(fields.Dict())
    answered = fields.Boolean(metadata={"description": "trainees only: already returned"})


Counts = fields.Dict(keys=fields.String(), values=fields.Integer())
Rates = fields.Dict(keys=fields.String(), values=fields.Float())


class StatsRowSchema(Schema):
    section = fields.String()
    section_label = fields.String()
    key = fields.String()
    label = fields.String()
    session_id = fields.Integer()
    topic = fields.String()
    lecturer = fields.String()
    counts = Counts
    rates = Rates


class SuggestionItemSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    shared = fields.Boolean()


class StatsSchema(Schema):
    class_id = fields.Integer()
    enrolled = fields.Integer()
    issued = fields.Integer()
    returned = fields.Integer(metadata={"description": "forms shown (released in batches)"})
    received = fields.Integer(metadata={"description": "forms stored"})
    rows = fields.List(fields.Nested(StatsRowSchema))
    suggestions = fields.List(fields.String())
    suggestion_items = fields.List(fields.Nested(SuggestionItemSchema))


class PendingSchema(Schema):
    enrollment_id = fields.Integer()
    name = fields.String()
    phone = fields.String(metadata={"description": "full for the organizer, masked for admin"})


class MyRatingSchema(Schema):
    class_id = fields.Integer()
    class_title = fields.String()
    session_id = fields.Integer()
    topic = fields.String()
    starts_at = ChinaDateTime()
    returned = fields.Integer()
    hidden = fields.Boolean(metadata={"description": "fewer than 3 answers: no counts shown"})
    counts = Counts
    rates = Rates


class SharedSuggestionSchema(Schema):
    class_id = fields.Integer()
    class_title = fields.String()
    text = fields.String()


class RatingsSummarySchema(Schema):
    sessions = fields.Integer(metadata={"description": "sessions counted (3 answers or more)"})
    returned = fields.Integer(metadata={"description": "answers over those sessions"})
    counts = Counts
    excellent_rate = fields.Float()
    satisfied_rate = fields.Float()
    suggestions = fields.List(fields.Nested(SharedSuggestionSchema))


class ClassRankSchema(Schema):
    rank = fields.Integer()
    class_id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    returned = fields.Integer()
    excellent_rate = fields.Float()
    satisfied_rate = fields.Float()


class LecturerRankSchema(Schema):
    rank = fields.Integer()
    lecturer_id = fields.Integer()
    name = fields.String()
    sessions = fields.Integer()
    answers = fields.Integer()
    excellent_rate = fields.Float()
    satisfied_rate = fields.Float()


class YearRatingsSchema(Schema):
    year = fields.Integer()
    classes = fields.List(fields.Nested(ClassRankSchema))
    lecturers = fields.List(fields.Nested(LecturerRankSchema))
