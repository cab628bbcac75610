// Subscribe prompts (微信订阅消息) at natural moments, against the real backend: after a
// check-in and on the survey page; what the user accepts becomes credits on the server.
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

async function phoneOf(index) {
  const trainee = backend.bound[index]
  return new Phone(backend, trainee.code.slice('dev:'.length)).launch()
}

async function credits(phone) {
  const answer = await backend.call('GET', '/me/subscriptions', phone.wx.getStorageSync('yanxiu.token'))
  assert.equal(answer.status, 200)
  return answer.body.credits
}

async function checkIn(phone) {
  const page = await phone.open('pages/checkin/checkin')
  const code = await backend.call('GET', `/sessions/${backend.session_ids[0]}/checkin-code`, backend.tokens.organizer)
  phone.wx.queueScan({ result: code.body.qr_text, scanType: 'QR_CODE' })
  await page.tap('#scan')
  assert.equal(page.data.notice.title, '签到成功')
  return page
}

test('after a check-in the trainee may take the next reminders; each accept is one credit', async () => {
  const phone = await phoneOf(0)
  const page = await checkIn(phone)
  assert.deepEqual(page.actions(), ['查看课程安排', '接收开课和测评提醒'])

  phone.wx.queueSubscribeAnswer({ 'tpl-session_start': 'accept', 'tpl-survey': 'reject' })
  await phone.act(page, 'remind') // the notice's button, waited for to its end

  assert.deepEqual(phone.wx.calls.subscribePrompts, [['tpl-session_start', 'tpl-survey']])
  assert.deepEqual(phone.requests('POST', '/me/subscriptions').map((r) => r.data), [{ accepted: { session_start: 1 } }])
  assert.equal(phone.wx.calls.toasts.pop().title, '已开启提醒')
  assert.deepEqual(await credits(phone), { session_start: 1, survey: 0, application: 0, certificate: 0 })
})

test('the prompt closed without an answer: nothing is sent, the check-in notice stays', async () => {
  const phone = await phoneOf(1)
  const page = await checkIn(phone)
  await phone.act(page, 'remind')
  assert.equal(phone.wx.calls.subscribePrompts.length, 1)
  assert.equal(phone.requests('POST', '/me/subscriptions').length, 0)
  assert.equal(page.data.notice.title, '签到成功')
  assert.equal((await credits(phone)).session_start, 0)
})

test('the survey page, before the survey opens, offers its reminder', async () => {
  const phone = await phoneOf(2)
  const page = await phone.open('pages/survey/survey', { class_id: String(backend.class_id) })
  assert.equal(page.data.state, 'closed')
  assert.match(page.text(), /测评开放时提醒我/)

  phone.wx.queueSubscribeAnswer({ 'tpl-survey': 'accept' })
  await phone.act(page, 'remindSurvey') // the button's handler, waited for to its end

  assert.deepEqual(phone.wx.calls.subscribePrompts, [['tpl-survey']])
  assert.equal((await credits(phone)).survey, 1)
  assert.doesNotMatch(page.text(), /测评开放时提醒我/, 'asked once on this page')
})
