// The check-in page against the real backend: the QR of the projector (fetched as the
// organizer), the mini-program code's scene, the typed code, and every refusal in Chinese.
const test = require('node:test')
const assert = require('node:assert/strict')
const { startBackend, Phone, event } = require('./harness.js')

let backend
test.before(async () => {
  backend = await startBackend()
})
test.after(async () => {
  if (backend) await backend.stop()
})

// What the projector shows now for a session: { token, qr_text, code, expires_at, ... }.
async function projector(sessionId) {
  const answer = await backend.call('GET', `/sessions/${sessionId}/checkin-code`, backend.tokens.organizer)
  assert.equal(answer.status, 200)
  return answer.body
}

async function sessionsAttended(enrollmentId) {
  const answer = await backend.call('GET', `/classes/${backend.class_id}/trainees`, backend.tokens.organizer)
  return answer.body.find((r) => r.enrollment_id === enrollmentId).sessions_attended
}

// A trainee already on the roster and bound (tests/conftest.py's build_world).
function boundPhone(index) {
  const trainee = backend.bound[index]
  return { phone: new Phone(backend, trainee.code.slice('dev:'.length)), enrollmentId: trainee.enrollment_id }
}

test('scan: the answer is lost, the retry finds the same check-in; a second scan says already', async () => {
  const [first] = backend.session_ids
  const { phone, enrollmentId } = boundPhone(0)
  await phone.launch()
  phone.wx.queueScan({ result: (await projector(first)).qr_text, scanType: 'QR_CODE' })
  phone.wx.fault('lost', 'POST', '/checkins')
  // The page's list of sessions comes later than the check-in: the result still names it.
  phone.wx.fault('slow', 'GET', '/me/classes')

  const page = await phone.open('pages/checkin/checkin', { action: 'scan' })
  assert.deepEqual(phone.wx.calls.scans[0], { onlyFromCamera: true, scanType: ['qrCode', 'wxCode'] })
  const posts = phone.requests('POST', '/checkins')
  assert.deepEqual(posts.map((r) => [r.status, r.fault]), [[201, 'lost'], [200, null]])
  assert.equal(page.data.result.kind, 'ok', 'session 1 started 5 minutes ago: on time')
  assert.equal(page.data.result.title, '签到成功')
  assert.match(page.data.result.detail, /^专题1　签到时间 \d\d:\d\d$/)
  assert.equal(await sessionsAttended(enrollmentId), 1)

  phone.wx.queueScan({ result: (await projector(first)).qr_text, scanType: 'QR_CODE' })
  const again = await phone.act(page, 'scan')
  assert.equal(again.kind, 'already')
  assert.equal(page.data.result.title, '您已签到')
  assert.match(page.data.result.detail, /已于 \d\d:\d\d 签到，无需重复签到/)
  assert.equal(phone.requests('POST', '/checkins').length, 3)
  assert.equal(await sessionsAttended(enrollmentId), 1, 'one check-in in the backend')

  const attendance = (await backend.call('GET', `/classes/${backend.class_id}/attendance`, backend.tokens.organizer)).body
  assert.equal(attendance.sessions.find((s) => s.id === first).checked_in, 1)
  const cell = attendance.trainees.find((t) => t.enrollment_id === enrollmentId).attendance.find((c) => c.session_id === first)
  assert.deepEqual([cell.state, cell.source, cell.checked_in_at], ['present', 'qr', posts[0].answer.checked_in_at])

  // My schedule shows it, with the time of the first check-in.
  const schedule = await phone.open('pages/schedule/schedule', { class_id: String(backend.class_id) })
  const sessions = schedule.data.days.flatMap((d) => d.sessions)
  assert.equal(sessions[0].mark.kind, 'ok')
  assert.equal(sessions[0].mark.text, `已签到 ${posts[1].answer.checked_in_at.slice(11, 16)}`)
  assert.deepEqual([schedule.data.cls.attended, schedule.data.cls.total], [1, 4])
})

test('the mini-program code: its scene opens the page and checks in; scanning it in-app too', async () => {
  const [first] = backend.session_ids
  const image = await fetch(`${backend.api}/sessions/${first}/checkin-wxacode.png`, {
    headers: { Authorization: `Bearer ${backend.tokens.organizer}` }
  })
  assert.equal(image.status, 200)
  assert.equal(image.headers.get('content-type'), 'image/png')
  const made = await (await fetch(`${backend.wechat_control}/wxacodes`)).json()
  const { scene, page: codePage } = made[made.length - 1]
  assert.equal(codePage, 'pages/checkin/checkin', 'the code opens our check-in page')
  assert.ok(scene.length <= 32)

  // WeChat starts the page with the scene URL-encoded in options.scene.
  const { phone, enrollmentId } = boundPhone(1)
  await phone.launch()
  const page = await phone.open('pages/checkin/checkin', { scene: encodeURIComponent(scene) })
  assert.equal(page.data.result.kind, 'ok')
  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => r.data), [{ scene }])
  assert.equal(await sessionsAttended(enrollmentId), 1)

  // The same code scanned from inside the mini-program: wx.scanCode gives its path.
  const other = boundPhone(2)
  await other.phone.launch()
  other.phone.wx.queueScan({ scanType: 'WX_CODE', result: '', path: `pages/checkin/checkin?scene=${encodeURIComponent(scene)}` })
  const scanned = await other.phone.open('pages/checkin/checkin', { action: 'scan' })
  assert.equal(scanned.data.result.kind, 'ok')
  assert.equal(await sessionsAttended(other.enrollmentId), 1)
})

test('the typed code: format checked first, a wrong code refused, the right one checks in', async () => {
  const [first] = backend.session_ids
  const entry = backend.unbound[0]
  const phone = await new Phone(backend, 'typist').launch()
  const bind = await phone.open('pages/bind/bind', { class_id: String(backend.class_id) })
  bind.input(event(entry.name, { field: 'name' }))
  bind.input(event(entry.phone, { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), true)

  const page = await phone.open('pages/checkin/checkin', { session_id: String(first) })
  const chosen = page.data.candidates[page.data.candidateIndex]
  assert.equal(chosen.id, first)
  assert.match(chosen.label, /^\d\d:\d\d 专题1$/)

  page.codeInput(event('12a'))
  assert.equal(await phone.act(page, 'submitCode'), null)
  assert.equal(page.data.codeError, '请输入大屏上的6位数字签到码')
  assert.equal(phone.requests('POST', '/checkins').length, 0)

  const { code } = await projector(first)
  const wrong = code === '000000' ? '000001' : '000000'
  page.codeInput(event(wrong))
  const refused = await phone.act(page, 'submitCode')
  assert.equal(refused.kind, 'error')
  assert.equal(refused.detail, '签到码不正确，请核对大屏上的6位数字')
  assert.equal(phone.wx.lastToast(), '签到码不正确，请核对大屏上的6位数字')

  const right = (await projector(first)).code
  page.codeInput(event(right))
  const done = await phone.act(page, 'submitCode')
  assert.equal(done.kind, 'ok')
  assert.deepEqual(phone.requests('POST', '/checkins').pop().data, { code: right, session_id: first })
  assert.equal(await sessionsAttended(entry.enrollment_id), 1)
})

test('refusals in plain Chinese: tampered, expired, foreign, outside the window, not on the roster', async () => {
  const [first, second] = backend.session_ids
  const { phone } = boundPhone(0)
  await phone.launch()
  const page = await phone.open('pages/checkin/checkin')
  const scan = async (result) => {
    phone.wx.queueScan({ result, scanType: 'QR_CODE' })
    return phone.act(page, 'scan')
  }

  const text = (await projector(first)).qr_text
  const tampered = text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A')
  assert.equal((await scan(tampered)).detail, '二维码无效，请扫描现场大屏上的签到码')
  assert.equal((await scan(backend.expired_qr_text)).detail, '二维码已过期，请重新扫描')
  assert.equal(phone.wx.lastToast(), '二维码已过期，请重新扫描')

  // Session 2 starts in 3 hours: the server says when its window opens.
  const closed = await scan((await projector(second)).qr_text)
  assert.equal(closed.kind, 'error')
  assert.match(closed.detail, /^不在签到时间内：签到于课程开始前 30 分钟开放/)

  // A QR that is not ours is refused on the phone: nothing is sent.
  const before = phone.requests('POST', '/checkins').length
  const foreign = await scan('https://example.com/checkin?id=1')
  assert.equal(foreign.detail, '这不是研修班的签到码，请扫描现场大屏上的二维码')
  assert.equal(phone.requests('POST', '/checkins').length, before)

  // Cancelling the camera changes nothing and says nothing.
  const toasts = phone.wx.calls.toasts.length
  assert.equal(await phone.act(page, 'scan'), null)
  assert.equal(phone.wx.calls.toasts.length, toasts)

  const stranger = await new Phone(backend, 'stranger').launch()
  const strangerPage = await stranger.open('pages/checkin/checkin')
  stranger.wx.queueScan({ result: (await projector(first)).qr_text, scanType: 'QR_CODE' })
  const refused = await stranger.act(strangerPage, 'scan')
  assert.equal(refused.detail, '您不在本班学员名单中，或尚未绑定学员信息')
  assert.deepEqual(strangerPage.data.candidates, [], 'no class, so no session for a typed code')
})
