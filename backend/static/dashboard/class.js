// The host unit's live class dashboard: counters and per-session attendance from the live
// stream (SSE), the 附件3 tally from GET /survey/stats whenever the returned count moves.
// A file, not inline script (the CSP forbids it); the API token comes from <body data-*>.
(function () {
  "use strict";

  var API = "/api/v1";
  var RECONNECT_MS = 3000;
  var body = document.body;
  var classId = body.dataset.classId;
  var headers = { Authorization: "Bearer " + body.dataset.apiToken };
  var LEVELS = ["excellent", "good", "fair", "poor"];
  var shownReturned = null;
  var statsBusy = false;

  function api(method, path) {
    return fetch(API + path, { method: method, headers: headers, cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function percent(part, whole) {
    return whole ? (Math.round((1000 * part) / whole) / 10).toFixed(1) + "%" : "–";
  }

  function setText(field, value) {
    document.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) {
      var text = String(value);
      if (el.textContent !== text) {
        el.textContent = text;
        el.classList.remove("changed");
        void el.offsetWidth; // restart the animation
        el.classList.add("changed");
      }
    });
  }

  // A closed class's numbers no longer move: its badge says so instead of a green 实时.
  function setStatus(state, text) {
    var el = document.getElementById("live-status");
    if (state === "live" && document.body.dataset.classStatus === "closed") {
      state = "closed";
      text = document.body.dataset.closedLabel;
    }
    el.dataset.state = state;
    el.textContent = text;
  }

  function showTally(tally) {
    setText("enrolled", tally.enrolled);
    setText("attendees", tally.attendees);
    setText("attendance-rate", percent(tally.attendees, tally.enrolled));
    setText("issued", tally.survey.issued);
    setText("returned", tally.survey.returned);
    setText("return-rate", percent(tally.survey.returned, tally.survey.issued));
    document.querySelectorAll("tr[data-session-id]").forEach(function (row) {
      var n = tally.checked_in[row.dataset.sessionId] || 0;
      var fill = row.querySelector(".fill");
      fill.style.width = tally.enrolled ? (100 * n) / tally.enrolled + "%" : "0";
      row.querySelector(".checked").textContent = n;
      row.querySelector(".of").textContent = tally.enrolled;
    });
    if (tally.survey.returned !== shownReturned) {
      loadStats();
    }
  }

  // --- 附件3 ---------------------------------------------------------------------------

  function cell(tag, text, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function itemLabel(row) {
    if (row.key.indexOf("session:") === 0) {
      var label = cell("td", row.topic, "item");
      label.appendChild(cell("small", row.lecturer));
      return label;
    }
    return cell("td", row.label, "item");
  }

  function statsRow(row) {
    var tr = cell("tr");
    tr.dataset.key = row.section + ":" + row.key;
    tr.appendChild(itemLabel(row));
    var bar = cell("div", undefined, "bar");
    LEVELS.forEach(function (level) {
      var part = cell("span", undefined, "level level-" + level);
      part.style.width = row.rates[level] + "%";
      part.title = row.counts[level] + " 份";
      bar.appendChild(part);
    });
    var barCell = cell("td", undefined, "bar-col");
    barCell.appendChild(bar);
    tr.appendChild(barCell);
    LEVELS.forEach(function (level) {
      var td = cell("td", row.rates[level].toFixed(1) + "%", "num rate-" + level);
      td.appendChild(cell("small", "(" + row.counts[level] + ")"));
      tr.appendChild(td);
    });
    return tr;
  }

  function showStats(stats) {
    var tbody = document.querySelector("#survey-table tbody");
    var rows = [];
    var section = null;
    stats.rows.forEach(function (row) {
      if (row.section !== section) {
        section = row.section;
        var head = cell("tr", undefined, "section");
        var th = cell("th", row.section_label);
        th.colSpan = 6;
        head.appendChild(th);
        rows.push(head);
      }
      rows.push(statsRow(row));
    });
    tbody.replaceChildren.apply(tbody, rows);
    document.getElementById("survey-table").hidden = stats.returned === 0;
    var empty = document.getElementById("survey-empty");
    empty.hidden = stats.returned > 0;
    empty.textContent = "尚无收回的测评表";
    var box = document.getElementById("suggestions");
    var items = stats.suggestions.map(function (text) { return cell("li", text); });
    box.querySelector("ol").replaceChildren.apply(box.querySelector("ol"), items);
    box.hidden = items.length === 0;
    shownReturned = stats.returned;
  }

  function loadStats() {
    if (statsBusy) { return; }
    statsBusy = true;
    api("GET", "/classes/" + classId + "/survey/stats")
      .then(showStats, function () {
        document.getElementById("survey-empty").textContent = "测评统计暂不可用";
      })
      .then(function () { statsBusy = false; });
  }

  // --- the live stream -------------------------------------------------------------------

  function connect() {
    setStatus("connecting", "连接中…");
    api("POST", "/classes/" + classId + "/live-ticket").then(function (answer) {
      var source = new EventSource(
        API + "/classes/" + classId + "/live?ticket=" + encodeURIComponent(answer.ticket)
      );
      source.addEventListener("open", function () { setStatus("live", "实时"); });
      source.addEventListener("tally", function (event) {
        showTally(JSON.parse(event.data));
      });
      source.addEventListener("status", function (event) {
        if (JSON.parse(event.data).degraded) {
          setStatus("degraded", "实时推送中断，数据可能滞后");
        } else {
          setStatus("live", "实时");
        }
      });
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) { // refused: a new ticket, later
          source.close();
          setStatus("offline", "连接已断开，正在重试…");
          setTimeout(connect, RECONNECT_MS);
        } else {
          setStatus("offline", "正在重新连接…");
        }
      });
    }, function () {
      setStatus("offline", "连接失败，正在重试…");
      setTimeout(connect, RECONNECT_MS);
    });
  }

  connect();
})();
