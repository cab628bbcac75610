// A trainee's day, through the pages' own code against the real backend: first launch and
// binding, my classes and the schedule.
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

async function roster() {
  const answer = await backend.call('GET', `/classes/${backend.class_id}/trainees`, backend.tokens.organizer)
  assert.equal(answer.status, 200)
  return answer.body
}

test('first launch: log in, no class yet, so the bind form; binding opens my classes', async () => {
  const [entry] = backend.unbound
  const phone = await new Phone(backend, 'new-trainee').launch()
  const index = await phone.open('pages/index/index')
  assert.deepEqual(phone.wx.lastNavigation(), { type: 'redirectTo', url: '/pages/bind/bind', delta: undefined })
  assert.equal(index.data.state, 'loading')

  const bind = await phone.open('pages/bind/bind', { class_id: String(backend.class_id) })
  assert.equal(bind.data.form.class_id, String(backend.class_id))

  // Nothing is sent while the form is incomplete; the page says what is missing.
  assert.equal(await phone.act(bind, 'submit'), false)
  assert.deepEqual(Object.keys(bind.data.errors).sort(), ['name', 'phone'])
  assert.equal(phone.requests('POST', '/me/enrollments').length, 0)

  // A name that is not on the roster: the server's answer, in plain Chinese.
  bind.input(event('张冠李戴', { field: 'name' }))
  // Typed with spaces, as people do; the page sends the digits.
  bind.input(event(entry.phone.replace(/(\d{3})(\d{4})(\d{4})/, '$1 $2 $3'), { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), false)
  assert.equal(phone.wx.lastToast(), '名单中没有找到您，请核对班级编号、姓名和手机号，或联系承办单位')
  assert.equal((await roster()).find((r) => r.enrollment_id === entry.enrollment_id).bound, false)

  bind.input(event(entry.name, { field: 'name' }))
  assert.equal(await phone.act(bind, 'submit'), true)
  assert.deepEqual(phone.wx.lastNavigation(), { type: 'reLaunch', url: '/pages/classes/classes', delta: undefined })
  assert.equal((await roster()).find((r) => r.enrollment_id === entry.enrollment_id).bound, true)

  // The next launch goes straight to my classes.
  const again = await new Phone(backend, 'new-trainee').launch()
  await again.open('pages/index/index')
  assert.deepEqual(again.wx.lastNavigation(), { type: 'redirectTo', url: '/pages/classes/classes', delta: undefined })
})

test('a roster entry already bound to another WeChat user cannot be taken', async () => {
  const [entry] = backend.unbound
  const phone = await new Phone(backend, 'someone-else').launch()
  const bind = await phone.open('pages/bind/bind', { class_id: String(backend.class_id) })
  bind.input(event(entry.name, { field: 'name' }))
  bind.input(event(entry.phone, { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), false)
  assert.equal(phone.wx.lastToast(), '该学员信息已被其他微信账号绑定，请联系承办单位')
})

test('the bind form marks bad fields: its own checks first, then the server\'s', async () => {
  const phone = await new Phone(backend, 'typo-trainee').launch()
  const bind = await phone.open('pages/bind/bind', { class_id: String(backend.class_id) })
  bind.input(event('某某', { field: 'name' }))
  bind.input(event('12900000000', { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), false)
  assert.ok(bind.data.errors.phone, 'the phone is marked')
  assert.equal(phone.requests('POST', '/me/enrollments').length, 0, 'an impossible phone is refused before sending')

  // Too long for the roster: the server names the field (422 validation_failed).
  bind.input(event('某'.repeat(51), { field: 'name' }))
  bind.input(event('13900000009', { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), false)
  assert.deepEqual(phone.requests('POST', '/me/enrollments').map((r) => r.status), [422])
  assert.ok(bind.data.errors.name, 'the name is marked')
  assert.match(phone.wx.lastToast(), /^姓名：/)
})

test('my classes and the schedule of each, in Chinese, with nothing checked in yet', async () => {
  const phone = await new Phone(backend, 'new-trainee').launch()
  const classes = await phone.open('pages/classes/classes')
  assert.equal(classes.data.state, 'ready')
  assert.equal(classes.data.classes.length, 1)
  const [cls] = classes.data.classes
  assert.equal(cls.id, backend.class_id)
  assert.equal(cls.title, '区块链技术数字化工程师高级研修班')
  assert.equal(cls.hostUnit, '华中科技大学')
  assert.deepEqual([cls.attended, cls.total], [0, 4])
  assert.match(cls.dates, /^\d+月\d+日—\d+月\d+日$/)

  classes.openClass(event(undefined, { id: cls.id }))
  assert.equal(phone.wx.lastNavigation().url, `/pages/schedule/schedule?class_id=${cls.id}`)

  const schedule = await phone.open('pages/schedule/schedule', { class_id: String(cls.id) })
  assert.equal(schedule.data.state, 'ready')
  const sessions = schedule.data.days.flatMap((d) => d.sessions)
  assert.deepEqual(sessions.map((s) => s.id), backend.session_ids)
  assert.deepEqual(sessions.map((s) => s.topic), ['专题1', '专题2', '专题3', '专题4'])
  assert.equal(sessions[0].lecturer, '王建国')
  assert.deepEqual(sessions[0].mark, { kind: 'open', text: '可签到' }, 'session 1 started 5 minutes ago')
  assert.equal(sessions[3].mark.kind, 'upcoming')
  schedule.data.days.forEach((d) => assert.match(d.day, /^\d+月\d+日 星期[日一二三四五六]$/))
})

test('a class the trainee is not on is not shown as a schedule', async () => {
  const phone = await new Phone(backend, 'outsider').launch()
  const schedule = await phone.open('pages/schedule/schedule', { class_id: String(backend.class_id) })
  assert.equal(schedule.data.state, 'error')
  assert.equal(schedule.data.message, '您不在这个研修班的名单中')
})

test('binding without the class number finds the class by name and phone', async () => {
  const entry = backend.unbound[1]
  const phone = await new Phone(backend, 'no-class-number').launch()
  const bind = await phone.open('pages/bind/bind')
  assert.equal(bind.data.form.class_id, '')
  bind.input(event(entry.name, { field: 'name' }))
  bind.input(event(entry.phone, { field: 'phone' }))
  assert.equal(await phone.act(bind, 'submit'), true)
  const [sent] = phone.requests('POST', '/me/enrollments')
  assert.equal(sent.data.class_id, undefined, 'no class number was sent')
  assert.equal((await roster()).find((r) => r.enrollment_id === entry.enrollment_id).bound, true)
})
