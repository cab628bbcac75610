// The province's year dashboard: every class of the year with status, attendance and
// return rates, polled from GET /plans/{year}/tallies every few seconds (see deploy/SCALE.md
// for why it polls rather than streams).
(function () {
  "use strict";

  var POLL_MS = 5000;
  var body = document.body;
  var headers = { Authorization: "Bearer " + body.dataset.apiToken };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setText(field, value) {
    document.querySelectorAll('[data-field="' + field + '"]').forEach(function (node) {
      var text = String(value);
      if (node.textContent !== text) {
        node.textContent = text;
        node.classList.remove("changed");
        void node.offsetWidth;
        node.classList.add("changed");
      }
    });
  }

  function setStatus(state, text) {
    var node = document.getElementById("live-status");
    node.dataset.state = state;
    node.textContent = text;
  }

  function rateCell(rate) {
    var td = el("td", undefined, "bar-col");
    var wrap = el("div", undefined, "rate");
    var bar = el("div", undefined, "bar");
    var fill = el("span", undefined, "fill" + (rate !== null && rate < 60 ? " low" : ""));
    fill.style.width = (rate || 0) + "%";
    bar.appendChild(fill);
    wrap.appendChild(bar);
    wrap.appendChild(el("span", rate === null ? "–" : rate.toFixed(1) + "%", "pct"));
    td.appendChild(wrap);
    return td;
  }

  function dates(row) {
    return row.start_date.slice(5).replace("-", "月") + "日–" + row.end_date.slice(5).replace("-", "月") + "日";
  }

  function classRow(row) {
    var tr = el("tr");
    tr.dataset.classId = row.class_id;
    var title = el("td");
    var link = el("a", row.title);
    link.href = "/dashboard/classes/" + row.class_id;
    title.appendChild(link);
    tr.appendChild(title);
    tr.appendChild(el("td", row.host_unit));
    tr.appendChild(el("td", dates(row), "when"));
    var status = el("td", undefined, "status-cell");
    status.appendChild(el("span", row.status_label, "status status-" + row.status));
    tr.appendChild(status);
    tr.appendChild(el("td", String(row.enrolled), "num enrolled"));
    tr.appendChild(el("td", String(row.attendees), "num attendees"));
    tr.appendChild(rateCell(row.attendance_rate));
    tr.appendChild(rateCell(row.return_rate));
    return tr;
  }

  function show(rows) {
    var sum = function (f) { return rows.reduce(function (n, r) { return n + f(r); }, 0); };
    var issued = sum(function (r) { return r.survey.issued; });
    var returned = sum(function (r) { return r.survey.returned; });
    setText("classes", rows.length);
    setText("approved", rows.filter(function (r) { return r.status === "approved" || r.status === "closed"; }).length);
    setText("enrolled", sum(function (r) { return r.enrolled; }));
    setText("attendees", sum(function (r) { return r.attendees; }));
    setText("returned", returned);
    setText("return-rate", issued ? ((1000 * returned / issued | 0) / 10).toFixed(1) + "%" : "–");
    var tbody = document.querySelector("#classes-table tbody");
    tbody.replaceChildren.apply(tbody, rows.map(classRow));
    document.getElementById("classes-empty").hidden = rows.length > 0;
  }

  function poll() {
    fetch("/api/v1/plans/" + body.dataset.year + "/tallies", { headers: headers, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (rows) {
        show(rows);
        setStatus("live", "每 " + POLL_MS / 1000 + " 秒更新 · " + new Date().toLocaleTimeString("zh-CN", { hour12: false }));
      }, function () {
        setStatus("offline", "更新失败，正在重试…");
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  poll();
})();
