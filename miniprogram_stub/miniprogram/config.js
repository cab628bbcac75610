// Where the backend answers, and how long the phone waits for it. In WeChat DevTools,
// "不校验合法域名" (urlCheck: false in project.config.json) lets the simulator reach a local
// server; a release build needs an https domain registered in the mini-program's admin console.
module.exports = {
  apiBase: 'http://127.0.0.1:5000/api/v1',
  // Milliseconds before wx.request gives up on an ordinary call.
  requestTimeout: 8000,
  // A scan's whole attempt must fit well inside the 15–30 s life of the code on the projector:
  // 3 tries of at most 4 s with 0.5 s and 1.5 s between them is at most 14 s.
  checkin: { timeout: 4000, backoff: [500, 1500] },
  // For trying the pages in DevTools against `make run` (DEV_LOGIN=1): a name here logs in as
  // the WeChat user `dev:<name>` instead of calling wx.login. Keep it empty in a release;
  // a backend without DEV_LOGIN refuses such codes anyway.
  devLogin: ''
}
