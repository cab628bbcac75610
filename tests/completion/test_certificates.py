"""Issuing, revoking, downloading and verifying certificates (结业证书)."""

import subprocess
import threading

import zxingcpp
from PIL import Image

from tests.completion.conftest import mark

LENIENT = {"min_attendance": 0.5, "require_survey": False}


def _completes(api, world, enrollment_ids):
    for enrollment_id in enrollment_ids:
        for index in range(3):
            mark(api, world, index, enrollment_id)
    rule = api.put(f"/classes/{world.class_id}/completion-rule", world.organizer, json=LENIENT)
    assert rule.status_code == 200


def test_certificates_wait_for_the_last_session_to_end(api, world):
    answer = api.post(f"/classes/{world.class_id}/certificates", world.organizer)
    assert answer.status_code == 409
    assert answer.json["error"] == "class_not_finished"


def test_issuing_is_idempotent_and_adds_only_the_new_ones(api, ended):
    world = ended
    first, second, _ = list(world.trainees)
    _completes(api, world, [first])
    path = f"/classes/{world.class_id}/certificates"
    assert api.post(path, world.organizer).json == {"issued": 1, "total": 1}
    assert api.post(path, world.organizer).json == {"issued": 0, "total": 1}
    _completes(api, world, [second])
    assert api.post(path, world.organizer).json == {"issued": 1, "total": 2}
    listed = api.get(path, world.admin).json
    assert sorted(c["enrollment_id"] for c in listed) == sorted([first, second])
    assert listed[0]["credit_hours"] == 7.5 and not listed[0]["revoked"]
    assert len({c["number"] for c in listed}) == 2


def test_two_issuing_requests_at_once_give_one_certificate_each(app, api, ended):
    world = ended
    _completes(api, world, list(world.trainees))
    answers = []

    def issue():
        client = app.test_client()
        headers = {"Authorization": f"Bearer {world.organizer}"}
        answers.append(
            client.post(f"/api/v1/classes/{world.class_id}/certificates", headers=headers)
        )

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200]
    assert sum(a.json["issued"] for a in answers) == 3
    listed = api.get(f"/classes/{world.class_id}/certificates", world.organizer).json
    assert sorted(c["enrollment_id"] for c in listed) == sorted(world.trainees)


def test_a_correction_that_undoes_completion_shows_a_certificate_to_revoke(api, ended):
    world = ended
    first = list(world.trainees)[0]
    _completes(api, world, [first])
    api.post(f"/classes/{world.class_id}/certificates", world.organizer)
    for index in range(3):
        mark(api, world, index, first, present=False)
    view = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    row = next(t for t in view["trainees"] if t["enrollment_id"] == first)
    assert row["completed"] is False and row["action"] == "revoke"
    assert row["certificate"]["revoked"] is False
    others = [t["action"] for t in view["trainees"] if t["enrollment_id"] != first]
    assert set(others) == {None}


def _issued(api, world):
    trainee_id = list(world.trainees)[0]
    _completes(api, world, [trainee_id])
    api.post(f"/classes/{world.class_id}/certificates", world.organizer)
    mine = api.get("/me/certificates", world.trainees[trainee_id]).json
    assert len(mine) == 1
    return trainee_id, mine[0]


def test_the_trainee_sees_the_certificate_and_anyone_can_verify_it(api, client, ended):
    world = ended
    _trainee, mine = _issued(api, world)
    assert mine["title"] == "区块链技术数字化工程师高级研修班"
    assert mine["credit_hours"] == 7.5 and mine["revoked"] is False
    assert mine["verify_url"].startswith("http://localhost/verify/")
    code = mine["verify_url"].rsplit("/", 1)[1]
    assert code not in mine["number"] and len(code) >= 20
    answer = client.get(f"/verify/{code}", headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.json == {
        "valid": True,
        "revoked": False,
        "number": mine["number"],
        "name_masked": "学**",
        "class_title": "区块链技术数字化工程师高级研修班",
        "host_unit": "华中科技大学",
        "start_date": answer.json["start_date"],
        "end_date": answer.json["end_date"],
        "credit_hours": 7.5,
    }
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "证书有效" in page and "学**" in page and "学员1" not in page
    assert "1390000" not in page
    unknown = client.get("/verify/not-a-code", headers={"Accept": "application/json"})
    assert unknown.status_code == 404
    assert client.get("/verify/not-a-code").status_code == 404


def test_a_revoked_certificate_verifies_as_revoked_and_is_audited(api, client, ended):
    world = ended
    _trainee, mine = _issued(api, world)
    path = f"/certificates/{mine['number']}/revoke"
    assert api.post(path, world.organizer, json={"reason": " "}).status_code == 422
    assert api.post(path, world.other_organizer, json={"reason": "误发"}).status_code == 404
    answer = api.post(path, world.organizer, json={"reason": "出勤记录有误，误发"})
    assert answer.status_code == 200 and answer.json["revoked"] is True
    assert api.post(path, world.admin, json={"reason": "再次"}).status_code == 409
    code = mine["verify_url"].rsplit("/", 1)[1]
    verified = client.get(f"/verify/{code}", headers={"Accept": "application/json"}).json
    assert verified["valid"] is False and verified["revoked"] is True
    assert "该证书已撤销" in client.get(f"/verify/{code}").get_data(as_text=True)
    audit = api.get(f"/audit?class_id={world.class_id}", world.admin).json
    assert any(e["action"] == "certificate.revoke" for e in audit)


def test_the_pdf_is_a4_in_chinese_with_a_qr_code_of_the_verification_address(api, ended, tmp_path):
    world = ended
    trainee_id, mine = _issued(api, world)
    answer = api.get(f"/certificates/{mine['number']}.pdf", world.trainees[trainee_id])
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(answer.data)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.28 pts (A4)" in info  # landscape A4
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifSC" in fonts and " yes " in fonts.splitlines()[2]  # embedded
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    for words in (
        "结业证书",
        "学员1",
        "华中科技大学",
        "区块链技术数字化工程师高级研修班",
        "7.5学时",
    ):
        assert words in flat, words
    assert mine["number"] in flat
    subprocess.run(["pdftoppm", "-r", "100", "-png", pdf, tmp_path / "page"], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert decoded == [mine["verify_url"]]


def test_only_its_trainee_and_the_class_staff_get_the_pdf(api, ended):
    from tests.conftest import trainee_token

    world = ended
    trainee_id, mine = _issued(api, world)
    path = f"/certificates/{mine['number']}.pdf"
    other_trainee = [t for e, t in world.trainees.items() if e != trainee_id][0]
    assert api.get(path, other_trainee).status_code == 404
    assert api.get(path, trainee_token(api, "stranger")).status_code == 404
    assert api.get(path, world.other_organizer).status_code == 404
    assert api.get(path, world.lecturer).status_code == 403
    assert api.get(path).status_code == 401
    assert api.get(path, world.admin).status_code == 200
    assert api.get(path, world.organizer).status_code == 200


def test_the_province_looks_certificates_up_by_number_or_name(api, ended):
    world = ended
    _trainee, mine = _issued(api, world)
    by_number = api.get(f"/certificates?q={mine['number']}", world.admin).json
    assert [r["certificate"]["number"] for r in by_number] == [mine["number"]]
    by_name = api.get("/certificates?q=学员1&year=2023", world.admin).json
    assert [r["class_title"] for r in by_name] == ["区块链技术数字化工程师高级研修班"]
    assert api.get("/certificates?q=学员1&year=2024", world.admin).json == []
    assert api.get("/certificates?q=学员1", world.organizer).status_code == 403


def test_the_credit_register_lists_every_trainee(api, ended, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    world = ended
    _trainee, mine = _issued(api, world)
    answer = api.get(f"/classes/{world.class_id}/exports/credits.xlsx", world.organizer)
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=8)]
    assert rows[0][:8] == [
        "序号",
        "姓名",
        "出勤次数",
        "出勤率",
        "学时",
        "测评表",
        "是否结业",
        "证书编号",
    ]
    assert rows[1][:8] == [1, "学员1", "3/4", "75.0%", 7.5, "未提交", "是", mine["number"]]
    assert rows[2][1] == "学员2" and rows[2][6] == "否"
    assert "低于结业要求" in rows[2][8]
    assert len([r for r in rows[1:] if r[1]]) == 5


def test_the_submission_zip_holds_the_credit_register_once_certificates_exist(api, ended):
    import io
    import zipfile

    from openpyxl import load_workbook

    world = ended
    path = f"/classes/{world.class_id}/exports/submission.zip"
    register = "学时登记表_区块链技术数字化工程师高级研修班.xlsx"
    before = zipfile.ZipFile(io.BytesIO(api.get(path, world.organizer).data))
    assert register not in before.namelist() and len(before.namelist()) == 5
    _trainee, mine = _issued(api, world)
    archive = zipfile.ZipFile(io.BytesIO(api.get(path, world.organizer).data))
    assert archive.namelist()[-1] == register and len(archive.namelist()) == 6
    sheet = load_workbook(io.BytesIO(archive.read(register))).active
    assert sheet["A1"].value == "区块链技术数字化工程师高级研修班 学时登记表"
    assert "结业要求：出勤率不低于 50.0%" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:8] == [
        1,
        "学员1",
        "3/4",
        "75.0%",
        7.5,
        "未提交",
        "是",
        mine["number"],
    ]
    assert sheet["G5"].value == "否" and sheet["H5"].value is None
    assert "低于结业要求" in sheet["I5"].value


def test_the_pdf_prints_any_name_and_title_the_font_has(tmp_path):
    """The font is cut to each certificate's characters: a rare character of a name (堃, not
    in GB2312) and quotes inside the title (turned single, as Chinese nests them) print too."""
    from datetime import date
    from decimal import Decimal

    from backend.completion.pdf import CertificateFacts, certificate_pdf

    facts = CertificateFacts(
        name="王堃",
        class_title="“一带一路”现代农业科技创新高级研修班",
        host_unit="华中农业大学",
        start_date=date(2026, 11, 26),
        end_date=date(2026, 11, 29),
        credit_hours=Decimal("22.5"),
        number="YX2026-00001-000123",
        issued_on=date(2026, 12, 2),
        verify_url="https://example.org/verify/x",
    )
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(facts))
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "王堃同志于2026年11月26日至2026年11月29日参加由华中农业大学" in flat
    assert "“‘一带一路’现代农业科技创新高级研修班”" in flat
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    assert fonts.count("NotoSerifSC") == 1 and " yes yes yes " in fonts
