"""The Chinese labels of the satisfaction form (附件2) and its tally (附件3), in form order."""

LEVELS = [("excellent", "优秀"), ("good", "良好"), ("fair", "一般"), ("poor", "较差")]
FACULTY, TEACHING, SERVICE, SATISFACTION = "师资评价", "教学评价", "服务管理评价", "学员满意度评价"
TEACHING_ITEMS = [("content", "教学内容"), ("level", "教学水平"), ("mode", "教学模式")]
SERVICE_ITEMS = [("organization", "组织管理"), ("logistics", "后勤保障"), ("service", "服务水平")]
OVERALL = "综合评价"
SUGGESTIONS = "意见与建议"
