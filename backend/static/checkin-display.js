// The projector page: shows the session's rotating check-in code and the arrivals.
// Served as a file (the CSP forbids inline script); the API token comes from <body data-*>.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var RETRY_MS = 2000;
  var body = document.body;
  var base = "/api/v1/sessions/" + body.dataset.sessionId;
  var mode = body.dataset.mode || "onsite";
  var headers = { Authorization: "Bearer " + body.dataset.apiToken };
  var qrUrl = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function get(path) {
    return fetch(base + path, { headers: headers, cache: "no-store" }).then(function (response) {
      if (response.status === 401) {
        window.location.reload(); // the page's API token expired: the log-in cookie renews it
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response;
    });
  }

  function showStatus(text) {
    byId("status").textContent = text;
  }

  function showCountdown(seconds) {
    var bar = byId("countdown");
    bar.style.transition = "none";
    bar.style.transform = "scaleX(1)";
    void bar.offsetWidth; // restart the transition
    bar.style.transition = "transform " + seconds + "s linear";
    bar.style.transform = "scaleX(0)";
  }

  // Fetch the current code and its QR image; schedule the next just as this one rotates.
  function refreshCode() {
    var query = "?mode=" + encodeURIComponent(mode);
    var code;
    get("/checkin-code" + query)
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        code = data;
        return get("/checkin-code.svg" + query);
      })
      .then(function (response) {
        return response.blob();
      })
      .then(function (blob) {
        var old = qrUrl;
        qrUrl = URL.createObjectURL(blob);
        byId("qr").src = qrUrl;
        if (old) {
          URL.revokeObjectURL(old);
        }
        byId("code").textContent = code.code;
        body.dataset.expiresAt = code.expires_at;
        showCountdown(code.rotates_in);
        showStatus("");
        setTimeout(refreshCode, Math.max(250, code.rotates_in * 1000 + 100));
      })
      .catch(function () {
        showStatus("网络异常，正在重试…（屏幕上的签到码仍在有效期内）");
        setTimeout(refreshCode, RETRY_MS);
      });
  }

  function showArrivals(data) {
    byId("checked-in").textContent = data.checked_in;
    byId("enrolled").textContent = data.enrolled;
    var list = byId("recent");
    list.textContent = "";
    data.recent.forEach(function (arrival) {
      var item = document.createElement("li");
      item.textContent = arrival.name;
      if (arrival.late) {
        item.className = "late";
        item.title = document.body.dataset.lateLabel;
      }
      list.appendChild(item);
    });
  }

  function pollArrivals() {
    get("/checkins/recent?limit=12&mode=" + encodeURIComponent(mode))
      .then(function (response) {
        return response.json();
      })
      .then(showArrivals)
      .catch(function () {
        showStatus("网络异常，签到人数暂未更新");
      })
      .then(function () {
        setTimeout(pollArrivals, POLL_MS);
      });
  }

  // The server decides whether check-in is open (data-state); when that changes (the window
  // opens or the session ends) the page is loaded again to show the new state.
  var changesAt = Date.parse(body.dataset.changesAt || "");
  if (!isNaN(changesAt)) {
    setTimeout(function () {
      window.location.reload();
    }, Math.max(1000, changesAt - Date.now() + 1000));
  }
  if (body.dataset.state === "open") {
    refreshCode();
  }
  pollArrivals();
})();
