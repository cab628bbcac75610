"""The demo of `make run`: accounts, an approved class running today, 40 trainees.

The 2023 plan is loaded as shipped; the demo class belongs to a demo plan of the current
year (its deadline after the class), so it is not flagged as late.
"""

from datetime import date, datetime, time, timedelta

from backend.accounts.logic import create_account
from backend.accounts.schemas import AccountSchema
from backend.auth.models import Role, User
from backend.classes.models import ClassMode, ClassStatus, Lecturer, Session, TrainingClass
from backend.core.timeutil import CHINA, today_in_china
from backend.enrollment.models import Enrollment
from backend.extensions import db
from backend.plans.logic import add_project, load_plan, unit_named
from backend.plans.models import Funding, PlanYear, Project

PROJECT_NAME = "区块链技术数字化工程师高级研修班"
HOST_UNIT = "华中科技大学"
DEMO_NOTICE = "演示计划（非正式文件）"
ACCOUNTS = {
    "admin": ("demo-admin-2023", Role.ADMIN),
    "hust": ("demo-hust-2023", Role.ORGANIZER),
    "lecturer": ("demo-lecturer-2023", Role.LECTURER),
}
LECTURERS = [
    ("王建国", "教授", "华中科技大学"),
    ("李敏", "研究员", "中国信息通信研究院"),
    ("陈志远", "高级工程师", "武汉烽火技术服务有限公司"),
    ("赵丽华", "副教授", "武汉大学"),
]
TOPICS = [
    "区块链技术原理与发展趋势",
    "密码学基础与共识机制",
    "智能合约开发与安全审计",
    "区块链在政务服务中的应用",
    "数字身份与隐私计算",
    "区块链+供应链金融案例研讨",
    "联盟链平台部署实践",
    "数字化转型中的区块链工程管理",
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟"]
REGIONS = [
    "武汉市",
    "黄石市",
    "十堰市",
    "宜昌市",
    "襄阳市",
    "恩施土家族苗族自治州",
    "荆州市",
    "孝感市",
]
TITLES = ["高级工程师", "工程师", "副教授", "正高级工程师"]


def _account(username: str, password: str, role: Role, **links) -> User:
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        fields = {"username": username, "password": password, "role": role.value, **links}
        user = create_account(AccountSchema().load(fields))
    return user


def _lecturers(unit_id: int) -> list[Lecturer]:
    """The demo's lecturers, of the demo's host unit (its organizer may schedule them)."""
    result = []
    for name, title, organization in LECTURERS:
        lecturer = db.session.scalar(db.select(Lecturer).where(Lecturer.name == name))
        if lecturer is None:
            lecturer = Lecturer(name=name, title=title, organization=organization, unit_id=unit_id)
            db.session.add(lecturer)
            db.session.flush()
        result.append(lecturer)
    return result


def _demo_class(project: Project, admin: User, lecturers: list[Lecturer]) -> TrainingClass:
    existing = db.session.scalar(
        db.select(TrainingClass).where(TrainingClass.project_id == project.id)
    )
    if existing is not None:
        return existing
    start = today_in_china()
    training_class = TrainingClass(
        project=project,
        location="华中科技大学 学术交流中心",
        start_date=start,
        end_date=start + timedelta(days=3),
        capacity=40,
        mode=ClassMode.HYBRID,
    )
    db.session.add(training_class)
    db.session.flush()
    for index, topic in enumerate(TOPICS):
        day = start + timedelta(days=index // 2)
        begins = time(8, 30) if index % 2 == 0 else time(14, 0)
        starts = datetime.combine(day, begins, CHINA)
        db.session.add(
            Session(
                class_id=training_class.id,
                topic=topic,
                lecturer_id=lecturers[index % 4].id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3, minutes=30),
                venue="学术交流中心 第一报告厅",
            )
        )
    for number in range(1, 41):
        name = (
            SURNAMES[(number - 1) % 20] + GIVEN[(number - 1) % 10] + ("" if number <= 20 else "华")
        )
        db.session.add(
            Enrollment(
                class_id=training_class.id,
                name=name,
                phone=f"139{number:08d}",
                gender="男" if number % 2 else "女",
                employer=f"{REGIONS[number % 8]}某信息中心",
                post="技术负责人",
                professional_title=TITLES[number % 4],
                region=REGIONS[number % 8],
            )
        )
    training_class.submit_opening_plan("开班实施方案（演示）：4 天，8 个专题，学员 40 人。")
    training_class.approve(admin.id)
    db.session.flush()
    return training_class


def _current_plan() -> PlanYear:
    """This year's demo plan (the 2023 numbers), due at the year's end or a month from
    today, whichever is later; the shipped 2023 plan when this year is 2023."""
    today = today_in_china()
    plan = db.session.get(PlanYear, today.year)
    if plan is None:
        deadline = max(date(today.year, 12, 31), today + timedelta(days=30))
        plan = PlanYear(year=today.year, notice=DEMO_NOTICE, deadline=deadline)
        db.session.add(plan)
        db.session.flush()
    return plan


def _demo_project(plan: PlanYear) -> Project:
    project = db.session.scalar(
        db.select(Project).where(Project.year == plan.year, Project.name == PROJECT_NAME)
    )
    if project is None:
        project = add_project(
            plan,
            {
                "name": PROJECT_NAME,
                "applicant_unit": HOST_UNIT,
                "host_unit": HOST_UNIT,
                "funding": Funding.FISCAL,
            },
        )
    return project


def create_demo() -> dict:
    load_plan(2023)
    unit = unit_named(HOST_UNIT)
    project = _demo_project(_current_plan())
    lecturers = _lecturers(unit.id)
    admin = _account("admin", *ACCOUNTS["admin"])
    _account("hust", *ACCOUNTS["hust"], unit_id=unit.id)
    _account("lecturer", *ACCOUNTS["lecturer"], lecturer_id=lecturers[0].id)
    training_class = _demo_class(project, admin, lecturers)
    assert training_class.status in (ClassStatus.APPROVED, ClassStatus.CLOSED)
    first = db.session.scalar(
        db.select(Enrollment)
        .where(Enrollment.class_id == training_class.id)
        .order_by(Enrollment.id)
    )
    return {"class_id": training_class.id, "lecturer": lecturers[0].name, "trainee": first}


def describe_demo(summary: dict, host: str) -> str:
    trainee = summary["trainee"]
    class_id = summary["class_id"]
    year = today_in_china().year
    lines = [
        "",
        "研修通 Yanxiu demo is ready",
        f"  API            {host}/api/v1/  (OpenAPI document: {host}/api/v1/openapi.json)",
        f"  Staff pages    {host}/login  (then {host}/ lists every page)",
        f"  Projector      {host}/display/sessions/1  (rotating check-in QR code)",
        f"  Dashboards     {host}/dashboard/classes/{class_id}   {host}/dashboard/plans/{year}",
        f"  Province       {host}/plans/{year}  (the year's overview; {host}/plans: every year)",
        f"  Lecturer       {host}/lecturer",
        f"  Demo class     id {class_id}: {PROJECT_NAME}",
        "  Staff log-ins (POST /api/v1/auth/login):",
    ]
    for username, (password, role) in ACCOUNTS.items():
        extra = f" ({summary['lecturer']})" if role == Role.LECTURER else ""
        lines.append(f"    {role.value:<10} {username:<9} / {password}{extra}")
    lines += [
        '  Trainee log-in (DEV_LOGIN=1): POST /api/v1/auth/wechat {"code": "dev:anyname"},',
        f'    then bind with POST /api/v1/me/enrollments {{"class_id": {class_id}, '
        f'"name": "{trainee.name}", "phone": "{trainee.phone}"}}',
        "",
    ]
    return "\n".join(lines)
