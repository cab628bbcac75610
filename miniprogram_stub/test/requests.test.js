// 请假 and 补签 from the phone, against the real backend: pick sessions, give a reason,
// submit; ask for a 补签 of the session that started; the page shows what was asked.
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

async function staffList(kind) {
  const answer = await backend.call('GET', `/classes/${backend.class_id}/${kind}-requests`, backend.tokens.organizer)
  assert.equal(answer.status, 200)
  return answer.body
}

test('a trainee asks for leave and for a 补签, and reads their state', async () => {
  const trainee = backend.bound[3]
  const phone = await new Phone(backend, trainee.code.slice('dev:'.length)).launch()
  const page = await phone.open('pages/requests/requests')
  const [first, , third, fourth] = backend.session_ids
  assert.equal(page.data.sessions.length, 4)
  assert.ok(page.find(`#checkin-${first}`), 'session 1 has started: 补签 is offered')
  assert.throws(() => page.find(`#checkin-${third}`), 'not for a session to come')

  await page.tap('#ask-leave')
  assert.equal(page.data.notice.title, '请先选择课程')

  await page.tap(`#session-${third}`)
  await page.tap(`#session-${fourth}`)
  await page.type('#reason', '单位临时安排出差')
  await page.tap('#ask-leave')
  assert.equal(page.data.notice.title, '请假申请已提交')
  assert.match(page.text(), /专题3.*请假待审批/)
  const leave = (await staffList('leave')).find((r) => r.enrollment_id === trainee.enrollment_id)
  assert.deepEqual(leave.session_ids, [third, fourth])
  assert.equal(leave.reason, '单位临时安排出差')

  await page.tap(`#checkin-${first}`) // no reason given: the server refuses, nothing stored
  assert.equal(page.data.notice.title, '申请未提交')
  assert.equal((await staffList('checkin')).filter((r) => r.enrollment_id === trainee.enrollment_id).length, 0)
  await page.type('#reason', '手机没电，未能扫码')
  await page.tap(`#checkin-${first}`)
  assert.equal(page.data.notice.title, '补签申请已提交')
  assert.match(page.text(), /专题1.*补签待审批/)
  assert.throws(() => page.find(`#checkin-${first}`), 'asked once')

  const decided = await backend.call('POST', `/leave-requests/${leave.id}/decision`, backend.tokens.organizer, { decision: 'approve' })
  assert.equal(decided.status, 200)
  await phone.act(page, 'load')
  assert.match(page.text(), /专题3.*请假已批准/)
})
