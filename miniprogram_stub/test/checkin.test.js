// The check-in page on a phone in a big hall, against the real backend: the QR of the
// projector (fetched as the organizer), answers lost, a gateway in between, a code that
// expires during the retry, a double tap, no network; and what the trainee reads each time.
const assert = require('node:assert/strict')
const { startBackend, Phone, until } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
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

// A trainee on the roster and bound (tests/conftest.py's build_world), with the page open.
async function traineeOnPage(index, query = {}) {
  const trainee = backend.bound[index]
  const phone = await new Phone(backend, trainee.code.slice('dev:'.length)).launch()
  const page = await phone.open('pages/checkin/checkin', query)
  return { phone, page, enrollmentId: trainee.enrollment_id }
}

async function scan(phone, page, text) {
  phone.wx.queueScan({ result: text, scanType: 'QR_CODE' })
  await page.tap('#scan')
}

const [FIRST, SECOND] = [0, 1]

test('the first answer is lost: the retry finds the same check-in; a second scan says already', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(0)
  const first = backend.session_ids[FIRST]
  phone.wx.fault('lost', 'POST', '/checkins')
  await scan(phone, page, (await projector(first)).qr_text)

  assert.deepEqual(phone.wx.calls.scans[0], { onlyFromCamera: true, scanType: ['qrCode', 'wxCode'] })
  const posts = phone.requests('POST', '/checkins')
  assert.deepEqual(posts.map((r) => [r.status, r.fault]), [[201, 'lost'], [200, null]])
  assert.ok(posts.every((r) => r.timeout === 4000), 'check-in tries wait 4 s, not 10')
  assert.equal(page.data.notice.title, '签到成功', 'session 1 started 5 minutes ago: on time')
  assert.match(page.text(), /签到成功专题1签到时间\d\d:\d\d查看课程安排/)
  assert.equal(await sessionsAttended(enrollmentId), 1)

  await scan(phone, page, (await projector(first)).qr_text)
  assert.equal(page.data.notice.title, '您已签到')
  assert.match(page.text(), /已于\d\d:\d\d签到，无需重复签到/)
  assert.equal(await sessionsAttended(enrollmentId), 1, 'one check-in in the backend')
})

test('every answer lost: the page reads my check-ins and says it worked, because it did', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(1)
  ;['lost', 'lost', 'lost'].forEach((kind) => phone.wx.fault(kind, 'POST', '/checkins'))
  await scan(phone, page, (await projector(backend.session_ids[FIRST])).qr_text)

  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => [r.status, r.fault]), [[201, 'lost'], [200, 'lost'], [200, 'lost']])
  const reads = phone.requests('GET', '/me/classes')
  assert.equal(reads[reads.length - 1].status, 200, 'the check-ins were read again after the last try')
  assert.equal(page.data.notice.title, '签到成功')
  assert.match(page.text(), /签到成功专题1签到时间\d\d:\d\d/)
  assert.doesNotMatch(page.text(), /未成功/)
  assert.equal(await sessionsAttended(enrollmentId), 1)
})

test('a gateway answers 502 after the server recorded the check-in: confirmed, not reported as failed', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(2)
  phone.wx.fault('gateway', 'POST', '/checkins')
  await scan(phone, page, (await projector(backend.session_ids[FIRST])).qr_text)
  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => [r.status, r.fault]), [[201, 'gateway']])
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(enrollmentId), 1)
})

test('the code expires during the retry: the page says so, after checking, and 重新扫码 works', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(3)
  // The first try never leaves the phone; by the retry the code on screen has expired.
  phone.wx.fault('offline', 'POST', '/checkins')
  await scan(phone, page, backend.expired_qr_text)
  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => [r.status, r.fault]), [[null, 'offline'], [410, null]])
  assert.equal(page.data.notice.title, '签到未成功')
  assert.match(page.text(), /签到未成功签到码已过期，请扫描或输入大屏上最新的签到码/, "the server's own words")
  assert.deepEqual(page.actions(), ['重新扫码', '输入签到码'])
  assert.equal(await sessionsAttended(enrollmentId), 0)

  phone.wx.queueScan({ result: (await projector(backend.session_ids[FIRST])).qr_text, scanType: 'QR_CODE' })
  await page.tapAction('重新扫码')
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(enrollmentId), 1)

  await page.tapAction('查看课程安排')
  assert.equal(phone.wx.lastNavigation().type, 'navigateBack')
})

test('a double tap on the scan button opens the camera once and sends one check-in', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(4)
  phone.wx.queueScan({ result: (await projector(backend.session_ids[FIRST])).qr_text, scanType: 'QR_CODE' })
  phone.wx.queueScan({ result: (await projector(backend.session_ids[FIRST])).qr_text, scanType: 'QR_CODE' })
  phone.wx.fault('slow', 'POST', '/checkins')
  const button = page.find('#scan')
  button.dispatchEvent('tap')
  button.dispatchEvent('tap')
  await until(() => page.data.busy)
  await page.settled()
  assert.equal(phone.wx.calls.scans.length, 1)
  assert.equal(phone.requests('POST', '/checkins').length, 1)
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(enrollmentId), 1)
})

test('offline: the page says so, waits for the network instead of firing retries, then checks in', async () => {
  const { phone, page, enrollmentId } = await traineeOnPage(5)
  const text = (await projector(backend.session_ids[FIRST])).qr_text
  phone.wx.setNetwork('none')
  assert.match(page.text(), /手机没有连接网络/)

  phone.wx.queueScan({ result: text, scanType: 'QR_CODE' })
  page.find('#scan').dispatchEvent('tap')
  await until(() => page.data.busyText === '正在签到…')
  assert.match(page.text(), /正在签到…/)
  assert.equal(phone.requests('POST', '/checkins').length, 0, 'nothing is sent into a dead network')

  phone.wx.setNetwork('4g')
  await page.settled()
  assert.doesNotMatch(page.text(), /手机没有连接网络/)
  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => r.status), [201])
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(enrollmentId), 1)
})

test('unconfirmed: no false failure; confirmed when the network is back, or with the button', async () => {
  const entry = backend.unbound[0]
  const phone = await new Phone(backend, 'offline-all-along').launch()
  const bound = await backend.callAs(phone, 'POST', '/me/enrollments', { name: entry.name, phone: entry.phone })
  assert.equal(bound.status, 200)
  const page = await phone.open('pages/checkin/checkin')
  phone.wx.setNetwork('none')
  await scan(phone, page, (await projector(backend.session_ids[FIRST])).qr_text)
  assert.equal(page.data.notice.title, '未能确认签到结果')
  assert.deepEqual(page.actions(), ['再次确认签到结果', '重新扫码'])
  assert.equal(phone.requests('POST', '/checkins').length, 0)

  // Back online: the page confirms by itself, and says what the server knows.
  phone.wx.setNetwork('wifi')
  assert.equal(page.data.busyText, '正在核对签到结果…')
  await page.settled()
  assert.equal(page.data.notice.title, '签到未成功', 'it never reached the server, and the page says so')
  assert.deepEqual(page.actions(), ['重新扫码', '输入签到码', '重试'])
  assert.equal(await sessionsAttended(entry.enrollment_id), 0)

  // The same with the button: a check-in that did arrive, its answer and the re-read lost.
  ;['lost', 'lost', 'lost'].forEach((kind) => phone.wx.fault(kind, 'POST', '/checkins'))
  ;['offline', 'offline'].forEach((kind) => phone.wx.fault(kind, 'GET', '/me/classes'))
  await scan(phone, page, (await projector(backend.session_ids[FIRST])).qr_text)
  assert.equal(page.data.notice.title, '未能确认签到结果')
  await page.tapAction('再次确认签到结果')
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(entry.enrollment_id), 1)
})

test('a trainee not yet bound who scans is offered the bind page', async () => {
  const phone = await new Phone(backend, 'stranger').launch()
  const page = await phone.open('pages/checkin/checkin')
  await scan(phone, page, (await projector(backend.session_ids[FIRST])).qr_text)
  assert.match(page.text(), /签到未成功您不在本班学员名单中或尚未绑定名单，请先在小程序中绑定，或联系承办单位/)
  assert.deepEqual(page.actions(), ['去绑定'])
  await page.tapAction('去绑定')
  assert.deepEqual(phone.wx.lastNavigation(), { type: 'navigateTo', url: '/pages/bind/bind', delta: undefined })
})

test('refusals in the server\'s words: tampered, outside the window; a foreign QR is refused on the phone', async () => {
  const entry = backend.unbound[1]
  const phone = await new Phone(backend, 'refused').launch()
  assert.equal((await backend.callAs(phone, 'POST', '/me/enrollments', { name: entry.name, phone: entry.phone })).status, 200)
  const page = await phone.open('pages/checkin/checkin')

  const text = (await projector(backend.session_ids[FIRST])).qr_text
  await scan(phone, page, text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A'))
  assert.equal(page.data.notice.title, '签到未成功')
  assert.equal(page.data.notice.message, phone.requests('POST', '/checkins').pop().answer.message)

  // Session 2 starts in 3 hours: the server says when its window opens.
  await scan(phone, page, (await projector(backend.session_ids[SECOND])).qr_text)
  assert.match(page.text(), /签到未成功不在签到时间内：签到于课程开始前30分钟开放/)
  assert.deepEqual(page.actions(), ['查看课程安排'])

  const before = phone.requests('POST', '/checkins').length
  await scan(phone, page, 'https://example.com/checkin?id=1')
  assert.match(page.text(), /这不是研修班的签到码，请扫描现场大屏上的二维码/)
  assert.equal(phone.requests('POST', '/checkins').length, before, 'nothing sent')

  // Cancelling the camera sends nothing and shows no error.
  await page.tap('#scan')
  assert.equal(page.data.notice, null)
  assert.equal(phone.requests('POST', '/checkins').length, before)
  assert.equal(await sessionsAttended(entry.enrollment_id), 0)
})

test('the typed code: format checked first, a wrong code refused, the right one checks in', async () => {
  const entry = backend.unbound[2]
  const first = backend.session_ids[FIRST]
  const phone = await new Phone(backend, 'typist').launch()
  assert.equal((await backend.callAs(phone, 'POST', '/me/enrollments', { name: entry.name, phone: entry.phone })).status, 200)
  const page = await phone.open('pages/checkin/checkin', { session_id: String(first) })
  const chosen = page.data.candidates[page.data.candidateIndex]
  assert.equal(chosen.id, first)
  assert.match(chosen.label, /^\d\d:\d\d 专题1$/)

  await page.type('#code', '12a')
  await page.tap('#submit-code')
  assert.match(page.text(), /请输入大屏上的6位数字签到码/)
  assert.equal(phone.requests('POST', '/checkins').length, 0)

  const { code } = await projector(first)
  await page.type('#code', code === '000000' ? '000001' : '000000')
  await page.tap('#submit-code')
  assert.equal(page.data.notice.title, '签到未成功')
  assert.equal(page.data.notice.message, phone.requests('POST', '/checkins').pop().answer.message)
  assert.deepEqual(page.actions(), ['重新扫码'])

  await page.type('#code', (await projector(first)).code)
  await page.tap('#submit-code')
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(entry.enrollment_id), 1)
})

test('the mini-program code: its scene opens the page and checks in', async () => {
  const entry = backend.unbound[3]
  const first = backend.session_ids[FIRST]
  const image = await backend.raw('GET', `/sessions/${first}/checkin-wxacode.png`, backend.tokens.organizer)
  assert.equal(image.status, 200)
  assert.equal(image.headers['content-type'], 'image/png')
  const made = JSON.parse((await backend.control('/wxacodes')).text)
  const { scene, page: codePage } = made[made.length - 1]
  assert.equal(codePage, 'pages/checkin/checkin', 'the code opens our check-in page')

  const phone = await new Phone(backend, 'scene-opener').launch()
  assert.equal((await backend.callAs(phone, 'POST', '/me/enrollments', { name: entry.name, phone: entry.phone })).status, 200)
  const page = await phone.open('pages/checkin/checkin', { scene: encodeURIComponent(scene) })
  assert.deepEqual(phone.requests('POST', '/checkins').map((r) => r.data), [{ scene }])
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal(await sessionsAttended(entry.enrollment_id), 1)
})
