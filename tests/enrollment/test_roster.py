"""Roster import (JSON and .xlsx, all or nothing), binding, and the trainee's own classes."""

import io

from openpyxl import Workbook, load_workbook


def _xlsx(rows, header=("姓名", "性别", "手机", "工作单位", "职务", "职称", "地区", "参训方式")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(api, world, data, filename="名单.xlsx"):
    return api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _roster(api, world, token=None):
    return api.get(f"/classes/{world.class_id}/trainees", token or world.organizer).json


def test_json_import_adds_every_row(api, world):
    response = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[
            {
                "name": "周八",
                "phone": "138 0000 0001",
                "gender": "女",
                "employer": "恩施州人民医院",
                "post": "主任",
                "professional_title": "主任医师",
                "region": "恩施州",  # read as 恩施土家族苗族自治州
                "attendance_mode": "online",
            },
            {"name": "吴九", "phone": "13800000002"},
        ],
    )
    assert response.status_code == 201 and response.json == {"created": 2, "skipped": []}
    roster = {r["name"]: r for r in _roster(api, world)}
    assert roster["周八"]["phone"] == "13800000001"
    assert roster["周八"]["attendance_mode"] == "online"
    assert roster["周八"]["region"] == "恩施土家族苗族自治州"
    assert roster["吴九"]["attendance_mode"] == "onsite"
    assert roster["吴九"]["bound"] is False and roster["吴九"]["sessions_attended"] == 0


def test_bad_rows_are_all_reported_and_nothing_is_added(api, world):
    before = len(_roster(api, world))
    response = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[
            {"name": "好人", "phone": "13800000009"},
            {"name": "", "phone": "12345"},
            {"name": "重复", "phone": "13900000001"},  # already on the roster (学员1)
            {"name": "内部重复", "phone": "13800000009"},
            {"name": "性别", "phone": "13800000010", "gender": "未知"},
        ],
    )
    assert response.status_code == 422
    fields = response.json["fields"]
    assert set(fields) == {"2", "3", "4", "5"}
    assert any("姓名" in m for m in fields["2"]) and any("手机" in m for m in fields["2"])
    assert "已在本班名单中" in fields["3"][0]
    assert "第 1 行" in fields["4"][0]
    assert len(_roster(api, world)) == before


def test_xlsx_import_reads_the_template_layout(api, world):
    template = api.get(f"/classes/{world.class_id}/trainees/template.xlsx", world.organizer)
    assert template.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(template.data)).active[1]]
    assert header == [
        "姓名",
        "性别",
        "手机",
        "工作单位",
        "职务",
        "职称",
        "地区",
        "参训方式",
        "职称级别",
        "管理岗位",
        "县（市、区）",
        "基层一线",
        "原贫困地区",
    ]
    data = _xlsx(
        [
            ("郑十", "男", 13700000001, "十堰市某局", "科长", "高级工程师", "十堰市", "线上")
            + ("副高", "是", "竹山县", "是", "是"),
            ("王十一", "女", "13700000002", "", "", "", "", ""),
            (None, None, None, None, None, None, None, None),
        ],
        header=header,
    )
    response = _upload(api, world, data)
    assert response.status_code == 201 and response.json == {"created": 2, "skipped": []}
    roster = {r["name"]: r for r in _roster(api, world)}
    assert (
        roster["郑十"]["phone"] == "13700000001" and roster["郑十"]["attendance_mode"] == "online"
    )
    zheng = roster["郑十"]
    assert (zheng["title_level"], zheng["management_post"], zheng["county"]) == (
        "senior",
        True,
        "竹山县",
    )
    assert zheng["grassroots"] is zheng["poor_area"] is True
    assert roster["王十一"]["title_level"] is None and roster["王十一"]["grassroots"] is False


def test_xlsx_errors_use_excels_row_numbers_sorted_as_numbers(api, world):
    rows = [(f"学员{i}", "", f"137000000{i:02d}") for i in range(12)]
    rows[1] = ("乙", "", "abc")  # Excel's row 3
    rows[9] = ("丙", "x", "13700000099")  # row 11
    rows[10] = ("丁", "", "13700000098", "", "", "", "", "远程")  # row 12
    response = _upload(api, world, _xlsx(rows))
    assert response.status_code == 422
    assert list(response.json["fields"]) == ["3", "11", "12"]
    assert response.json["fields"]["11"] == ["性别：应为 男 或 女"]
    assert response.json["fields"]["12"] == ["参训方式：应为 线下 或 线上"]
    assert len(_roster(api, world)) == 5  # nothing added: world's five only


def test_json_rows_keep_their_numbers_and_accept_chinese_values(api, world):
    rows = [
        {"name": "甲", "phone": "13700000001", "gender": "女", "attendance_mode": "线上"},
        {"name": "乙", "phone": "13700000002", "attendance_mode": "remote"},
    ]
    response = api.post(f"/classes/{world.class_id}/trainees", world.organizer, json=rows)
    assert response.status_code == 422
    assert response.json["fields"] == {"2": ["参训方式：应为 线下 或 线上"]}
    rows[1]["attendance_mode"] = "线下"
    response = api.post(f"/classes/{world.class_id}/trainees", world.organizer, json=rows)
    assert response.status_code == 201
    roster = {r["name"]: r["attendance_mode"] for r in _roster(api, world)}
    assert (roster["甲"], roster["乙"]) == ("online", "onsite")
    # JSON keeps its contract: a phone already on the roster is a bad row.
    again = api.post(f"/classes/{world.class_id}/trainees", world.organizer, json=rows[:1])
    assert again.status_code == 422 and "已在本班名单中" in again.json["fields"]["1"][0]


def test_the_template_imports_nothing_and_offers_dropdowns_and_instructions(api, world):
    template = api.get(f"/classes/{world.class_id}/trainees/template.xlsx", world.organizer)
    workbook = load_workbook(io.BytesIO(template.data))
    assert workbook.sheetnames == ["研修人员名单", "填写说明"]
    sheet = workbook["研修人员名单"]
    assert sheet.max_row == 1  # no sample row
    choices = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    assert choices == {
        "B": '"男,女"',
        "H": '"线下,线上"',
        "I": '"正高,副高,中级,初级,无"',
        "J": '"是,否"',
        "L": '"是,否"',
        "M": '"是,否"',
    }
    notes = " ".join(row[0].value for row in workbook["填写说明"].iter_rows())
    assert "手机号已在本班名单中的学员会被跳过" in notes and "按 Excel 行号" in notes
    unedited = _upload(api, world, template.data)
    assert unedited.status_code == 422 and unedited.json["fields"] == {"_schema": ["名单为空"]}


def test_a_corrected_file_uploaded_again_adds_only_the_new_people(api, world):
    first = [("郑十", "男", "13700000001"), ("王十一", "女", "abc")]
    assert _upload(api, world, _xlsx(first)).status_code == 422
    first[1] = ("王十一", "女", "13700000002")
    assert _upload(api, world, _xlsx(first[:1])).status_code == 201  # one went in earlier
    response = _upload(api, world, _xlsx(first))
    assert response.status_code == 201
    assert response.json == {
        "created": 1,
        "skipped": [{"row": 2, "name": "郑十", "phone": "13700000001", "reason": "已在本班名单中"}],
    }
    names = [r["name"] for r in _roster(api, world)]
    assert names.count("郑十") == 1 and "王十一" in names


def test_xlsx_without_the_needed_columns_or_not_xlsx(api, world):
    missing = _upload(api, world, _xlsx([("甲",)], header=("姓名",)))
    assert missing.status_code == 422 and "手机" in missing.json["fields"]["file"][0]
    not_xlsx = _upload(api, world, b"hello", "名单.xlsx")
    assert not_xlsx.status_code == 422 and "file" in not_xlsx.json["fields"]
    wrong_type = _upload(api, world, b"a,b", "名单.csv")
    assert wrong_type.status_code == 422


def test_online_trainees_only_in_hybrid_classes(api, world):
    api.patch(
        f"/classes/{world.class_id}",
        world.organizer,
        json={"mode": "offline", "reason": "改为线下"},
    )
    response = api.post(
        f"/classes/{world.class_id}/trainees",
        world.organizer,
        json=[{"name": "线上", "phone": "13800000011", "attendance_mode": "online"}],
    )
    assert response.status_code == 422 and "线下班" in response.json["fields"]["1"][0]


def test_admin_sees_masked_phones_organizer_full(api, world):
    assert _roster(api, world, world.organizer)[0]["phone"] == "13900000001"
    assert _roster(api, world, world.admin)[0]["phone"] == "139****0001"


def test_binding_by_name_and_phone(api, world):
    from tests.conftest import trainee_token

    token = trainee_token(api, "newcomer")
    unknown = api.post(
        "/me/enrollments",
        token,
        json={"class_id": world.class_id, "name": "学员4", "phone": "13900009999"},
    )
    assert unknown.status_code == 404 and unknown.json["error"] == "not_on_roster"
    bound = api.post(
        "/me/enrollments",
        token,
        json={"class_id": world.class_id, "name": "学员4", "phone": "13900000004"},
    )
    assert bound.status_code == 200 and bound.json == {
        "enrollment_id": world.unbound[0],
        "class_id": world.class_id,
        "class_ids": [world.class_id],
    }
    again = api.post(
        "/me/enrollments",
        token,
        json={"class_id": world.class_id, "name": "学员4", "phone": "13900000004"},
    )
    assert again.status_code == 200
    thief = trainee_token(api, "thief")
    taken = api.post(
        "/me/enrollments",
        thief,
        json={"class_id": world.class_id, "name": "学员4", "phone": "13900000004"},
    )
    # "taken" answers like "not found": typing tells nothing about who has bound (#12 item 9)
    assert taken.status_code == 404 and taken.json == unknown.json
    assert next(r for r in _roster(api, world) if r["name"] == "学员4")["bound"] is True
    bad_phone = api.post(
        "/me/enrollments", thief, json={"class_id": world.class_id, "name": "学员5", "phone": "1"}
    )
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json["fields"]


def test_my_classes_lists_the_schedule(api, world):
    classes = api.get("/me/classes", world.trainee).json
    assert len(classes) == 1
    mine = classes[0]
    assert mine["id"] == world.class_id and mine["host_unit"] == "华中科技大学"
    assert [s["id"] for s in mine["sessions"]] == world.session_ids
    assert all(s["checkin"] is None for s in mine["sessions"])
    assert mine["sessions"][0]["lecturer"]["name"] == "王建国"
    from tests.conftest import trainee_token

    assert api.get("/me/classes", trainee_token(api, "stranger")).json == []


def test_enrolled_trainee_reads_the_class_others_do_not(api, world):
    from tests.conftest import trainee_token

    assert api.get(f"/classes/{world.class_id}", world.trainee).status_code == 200
    assert api.get(f"/classes/{world.class_id}", trainee_token(api, "x")).status_code == 404


def test_binding_without_the_class_number_finds_the_class(api, world):
    from tests.conftest import trainee_token

    token = trainee_token(api, "no-number")
    bound = api.post("/me/enrollments", token, json={"name": "学员5", "phone": "13900000005"})
    assert bound.status_code == 200
    assert bound.json == {
        "enrollment_id": world.unbound[1],
        "class_id": world.class_id,
        "class_ids": [world.class_id],
    }
    assert [c["id"] for c in api.get("/me/classes", token).json] == [world.class_id]
    nobody = api.post(
        "/me/enrollments", trainee_token(api, "x2"), json={"name": "无名", "phone": "13900000005"}
    )
    assert nobody.status_code == 404 and nobody.json["error"] == "not_on_roster"
    taken = api.post(
        "/me/enrollments", trainee_token(api, "x3"), json={"name": "学员5", "phone": "13900000005"}
    )
    assert taken.status_code == 404 and taken.json["error"] == "not_on_roster"
