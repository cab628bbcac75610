"""The province office's accounts API: list, reset a password, disable and enable."""


def login(api, username: str, password: str):
    return api.post("/auth/login", json={"username": username, "password": password})


def test_a_reset_password_ends_the_old_tokens(api, world):
    org = world.user_ids["other_organizer"]
    listed = api.get("/users?role=organizer", world.admin).json
    assert {u["username"] for u in listed} == {"org-hust", "org-whu"}
    assert api.get("/users", world.organizer).status_code == 403
    short = api.put(f"/users/{org}/password", world.admin, json={"password": "short"})
    assert short.status_code == 422 and "password" in short.json["fields"]
    done = api.put(f"/users/{org}/password", world.admin, json={"password": "brand-new-pass"})
    assert done.status_code == 200
    assert api.get("/classes", world.other_organizer).status_code == 401
    assert login(api, "org-whu", "org-whu-password").status_code == 401
    assert login(api, "org-whu", "brand-new-pass").status_code == 200


def test_a_disabled_account_cannot_log_in_until_enabled(api, world):
    org = world.user_ids["organizer"]
    disabled = api.post(f"/users/{org}/disable", world.admin)
    assert disabled.status_code == 200 and disabled.json["disabled"] is True
    assert api.get("/classes", world.organizer).status_code == 401
    assert login(api, "org-hust", "org-hust-password").status_code == 401
    assert api.post(f"/users/{org}/enable", world.admin).json["disabled"] is False
    assert login(api, "org-hust", "org-hust-password").status_code == 200
    own = api.post(f"/users/{world.user_ids['admin']}/disable", world.admin)
    assert own.status_code == 409
    assert api.post(f"/users/{org}/disable", world.other_organizer).status_code == 403
    assert api.post("/users/99999/disable", world.admin).status_code == 404
    actions = [e["action"] for e in api.get("/audit?action=user", world.admin).json]
    assert actions[:2] == ["user.enable", "user.disable"]
