"""A class that recruits, opened through the API, and applicants who apply to it."""

from datetime import timedelta

from backend.core.timeutil import today_in_china
from tests.conftest import Api, World, trainee_token

PROJECT = "区块链技术数字化工程师高级研修班"
OTHER_PROJECT = "北斗定位与多源导航新技术高级研修班"  # 武汉大学's


def project_id(api: Api, token: str, name: str = PROJECT) -> int:
    projects = api.get("/projects?year=2023", token).json
    return next(p["id"] for p in projects if p["name"] == name)


def new_class(api: Api, token: str, starts_in: int = 10, capacity: int = 40, **body) -> int:
    """A draft class of the organizer's unit starting in `starts_in` days, for four days."""
    start = today_in_china() + timedelta(days=starts_in)
    answer = api.post(
        "/classes",
        token,
        json={
            "project_id": project_id(api, token, body.pop("project", PROJECT)),
            "location": "武汉市洪山区华中科技大学",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3)).isoformat(),
            "capacity": capacity,
            "mode": body.pop("mode", "offline"),
        },
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def open_recruitment(api: Api, token: str, class_id: int, **body) -> dict:
    closes = today_in_china() + timedelta(days=5)
    answer = api.post(
        f"/classes/{class_id}/recruitment",
        token,
        json={"closes_at": f"{closes.isoformat()}T18:00:00", "notice": "面向全省招收", **body},
    )
    assert answer.status_code == 200, answer.json
    return answer.json


def applicant(number: int, **fields) -> dict:
    """An eligible applicant's form; fields override."""
    return {
        "name": f"报名人{number}",
        "phone": f"1370000{number:04d}",
        "gender": "女" if number % 2 else "男",
        "employer": "恩施州农业科学院",
        "post": "科长",
        "professional_title": "高级农艺师",
        "title_level": "senior",
        "management_post": False,
        "region": "恩施州",
        "county": "利川市",
        "grassroots": True,
        "poor_area": True,
        **fields,
    }


def apply(api: Api, class_id: int, number: int, **fields):
    """A new WeChat user applies; returns (its token, the answer)."""
    token = trainee_token(api, f"applicant{number}")
    return token, api.post(
        f"/classes/{class_id}/applications", token, json=applicant(number, **fields)
    )


def recruiting_class(api: Api, world: World, **body) -> int:
    class_id = new_class(api, world.organizer)
    open_recruitment(api, world.organizer, class_id, **body)
    return class_id
