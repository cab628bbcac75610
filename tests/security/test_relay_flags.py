"""#12 item 10: each check-in records the client address and a device hint (organizers only,
purged with the class); check-ins that look relayed are flagged on the roster and attendance."""

from datetime import timedelta

from backend.checkin.attendance import class_flags
from backend.checkin.models import CheckIn, CheckInSource
from backend.classes.models import ClassStatus
from backend.core.timeutil import utcnow
from backend.extensions import db
from tests.checkin.helpers import code_for, set_class
from tests.conftest import build_world

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0.50"


def _scan_from(api, trainee, token, address):
    return api.post(
        "/checkins",
        trainee,
        json={"token": token},
        headers={"User-Agent": PHONE_UA},
        environ_base={"REMOTE_ADDR": address},
    )


def _room_and_relay(api):
    world = build_world(api.client.application, trainees=10, bound=10)
    token = code_for(api, world, world.session_ids[0])["token"]
    trainees = list(world.trainees.items())
    for _, trainee in trainees[:6]:
        assert _scan_from(api, trainee, token, "10.0.0.1").status_code == 201
    for _, trainee in trainees[6:9]:  # one hotspot outside checks in three within seconds
        assert _scan_from(api, trainee, token, "203.0.113.5").status_code == 201
    return world, [e for e, _ in trainees[6:9]], [e for e, _ in trainees[:6]]


def test_the_address_and_device_are_stored_with_the_check_in(app, api):
    world, relayed, _ = _room_and_relay(api)
    with app.app_context():
        row = db.session.scalar(db.select(CheckIn).where(CheckIn.enrollment_id == relayed[0]))
    assert row.client_addr == "203.0.113.5"
    assert len(row.device) == 12 and row.device not in PHONE_UA


def test_a_burst_from_one_address_is_flagged_and_the_room_is_not(app, api):
    world, relayed, room = _room_and_relay(api)
    table = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    flags = {r["enrollment_id"]: r["attendance"][0]["flags"] for r in table["trainees"]}
    assert all(flags[e] == ["burst"] for e in relayed)
    assert all(flags[e] == [] for e in room)
    roster = {
        r["enrollment_id"]: r
        for r in api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    }
    assert roster[relayed[0]]["relay_flags"] == [
        {"session_id": world.session_ids[0], "flags": ["burst"]}
    ]
    assert roster[room[0]]["relay_flags"] == []


def test_only_the_class_organizers_see_addresses(app, api):
    world, relayed, _ = _room_and_relay(api)
    mine = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    cell = next(r for r in mine["trainees"] if r["enrollment_id"] == relayed[0])["attendance"][0]
    assert cell["client_addr"] == "203.0.113.5" and cell["device"]
    admin = api.get(f"/classes/{world.class_id}/attendance", world.admin).json
    cell = next(r for r in admin["trainees"] if r["enrollment_id"] == relayed[0])["attendance"][0]
    assert "client_addr" not in cell and "device" not in cell and cell["flags"] == ["burst"]
    assert (
        api.get(f"/classes/{world.class_id}/attendance", world.other_organizer).status_code == 404
    )


def test_a_whole_venue_behind_one_address_is_not_flagged(app, api):
    world = build_world(app, trainees=8, bound=8)
    token = code_for(api, world, world.session_ids[0])["token"]
    for trainee in world.trainees.values():
        assert _scan_from(api, trainee, token, "10.0.0.1").status_code == 201
    table = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert all(r["attendance"][0]["flags"] == [] for r in table["trainees"])


def test_a_trainee_checking_in_from_two_addresses_in_a_day_is_flagged(app, api, world):
    enrollment_id = next(iter(world.trainees))
    at = utcnow()
    with app.app_context():
        for session_id, address, minutes in (
            (world.session_ids[0], "10.0.0.1", 0),
            (world.session_ids[1], "198.51.100.9", 1),
        ):
            db.session.add(
                CheckIn(
                    enrollment_id=enrollment_id,
                    session_id=session_id,
                    class_id=world.class_id,
                    checked_in_at=at + timedelta(minutes=minutes),
                    source=CheckInSource.QR,
                    client_addr=address,
                )
            )
        db.session.commit()
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    entry = next(r for r in roster if r["enrollment_id"] == enrollment_id)
    assert [f["flags"] for f in entry["relay_flags"]] == [["two_addresses"], ["two_addresses"]]


def test_the_purge_blanks_addresses_and_devices(app, api):
    world, relayed, _ = _room_and_relay(api)
    app.config["RETENTION_DAYS"] = -10  # the class counts as past its retention period
    set_class(app, world, status=ClassStatus.CLOSED)
    assert api.post(f"/classes/{world.class_id}/purge", world.admin).status_code == 200
    with app.app_context():
        rows = db.session.scalars(
            db.select(CheckIn).where(CheckIn.class_id == world.class_id)
        ).all()
    assert len(rows) == 9 and all(r.client_addr is None and r.device is None for r in rows)


def test_one_page_of_trainees_gets_the_flags_the_whole_class_gives_them(app, api):
    """The class page asks for the flags of its 50 shown trainees only: a trainee in a burst
    whose other members are on another page is flagged all the same."""
    world, relayed, room = _room_and_relay(api)
    mover = room[0]
    with app.app_context():
        db.session.add(
            CheckIn(
                enrollment_id=mover,
                session_id=world.session_ids[1],
                class_id=world.class_id,
                checked_in_at=utcnow() + timedelta(seconds=1),
                source=CheckInSource.QR,
                client_addr="198.51.100.9",
            )
        )
        db.session.commit()
        whole = class_flags(world.class_id)
        assert {e for e, _ in whole} == {*relayed, mover}
        for page in ({relayed[0]}, {relayed[1], room[1]}, {mover}, set(room)):
            assert class_flags(world.class_id, page) == {
                key: flags for key, flags in whole.items() if key[0] in page
            }
