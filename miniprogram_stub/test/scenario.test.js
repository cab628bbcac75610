// The whole story of issue #7 through the pages against the real backend: a trainee binds,
// scans (checked in once, even after a retried scan), fills the satisfaction form (refused
// while an item is missing), two classmates answer too, and the lecturer sees the rating.
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

// An event as a radio group or a textarea hands it to its handler.
function event(value, dataset = {}) {
  return { type: 'change', detail: { value }, currentTarget: { dataset }, target: { dataset } }
}

// Forms stored: `received` once answers are released in batches, else `returned`.
function stored(stats) {
  return stats.received === undefined ? stats.returned : stats.received
}

const phones = {}

async function projectorText(sessionId) {
  const answer = await backend.call('GET', `/sessions/${sessionId}/checkin-code`, backend.tokens.organizer)
  assert.equal(answer.status, 200)
  return answer.body.qr_text
}

async function stats() {
  const answer = await backend.call('GET', `/classes/${backend.class_id}/survey/stats`, backend.tokens.organizer)
  assert.equal(answer.status, 200)
  return answer.body
}

async function scanIn(phone) {
  phone.wx.queueScan({ result: await projectorText(backend.session_ids[0]), scanType: 'QR_CODE' })
  const page = await phone.open('pages/checkin/checkin', { action: 'scan' })
  return page.data.notice
}

// Choose a level for each item of the form: `pick(item)` says which (undefined: leave it).
function answer(page, pick) {
  page.data.sections.forEach((section) =>
    section.items.forEach((item) => {
      const level = pick(item)
      if (level) page.instance.choose(event(level, { key: item.key }))
    })
  )
}

// Session 1: excellent from A and B, good from C; every other item: good.
function levelsOf(name) {
  return (item) => (item.key === `lecture_${backend.session_ids[0]}` && name !== 'C' ? 'excellent' : 'good')
}

test('trainee A: logs in, binds, scans once though the answer was lost, scans again', async () => {
  const entry = backend.unbound[0]
  const a = await new Phone(backend, 'trainee-a').launch()
  phones.A = a
  await a.open('pages/index/index')
  assert.equal(a.wx.lastNavigation().url, '/pages/bind/bind')
  const bind = await a.open('pages/bind/bind', { class_id: String(backend.class_id) })
  await bind.tap('#show-form')
  await bind.type('#name', entry.name)
  await bind.type('#phone', entry.phone)
  assert.equal(await a.act(bind, 'submit'), true)

  a.wx.fault('lost', 'POST', '/checkins')
  const first = await scanIn(a)
  assert.deepEqual([first.kind, first.title], ['ok', '签到成功'])
  const second = await scanIn(a)
  assert.deepEqual([second.kind, second.title], ['already', '您已签到'])
  assert.deepEqual(a.requests('POST', '/checkins').map((r) => r.status), [201, 200, 200])

  const roster = (await backend.call('GET', `/classes/${backend.class_id}/trainees`, backend.tokens.organizer)).body
  assert.equal(roster.find((r) => r.enrollment_id === entry.enrollment_id).sessions_attended, 1)
  assert.equal((await stats()).issued, 0, 'no form is issued before the survey opens')
})

test('the form is closed until the organizer opens it', async () => {
  const page = await phones.A.open('pages/survey/survey', { class_id: String(backend.class_id) })
  assert.equal(page.data.state, 'closed')
  const early = await backend.call('POST', `/classes/${backend.class_id}/survey/open`, backend.tokens.organizer)
  assert.deepEqual([early.status, early.body.error], [409, 'survey_too_early'])
  // The organizer moves the later sessions to now (a condensed day): every session has started.
  for (const [index, sessionId] of backend.session_ids.slice(1).entries()) {
    const starts = new Date(Date.now() - (4 - index) * 60000)
    const ends = new Date(starts.getTime() + 2 * 3600000)
    const moved = await backend.call('PATCH', `/sessions/${sessionId}`, backend.tokens.organizer,
      { starts_at: starts.toISOString(), ends_at: ends.toISOString(), reason: '课程调整为当天' })
    assert.equal(moved.status, 200, JSON.stringify(moved.body))
  }
  const opened = await backend.call('POST', `/classes/${backend.class_id}/survey/open`, backend.tokens.organizer)
  assert.deepEqual([opened.status, opened.body.open], [200, true])
  assert.equal((await stats()).issued, 1, 'one trainee checked in, so one form issued')
})

test('a trainee who never checked in is told so when sending', async () => {
  const d = await new Phone(backend, backend.bound[2].code.slice(4)).launch()
  const page = await d.open('pages/survey/survey', { class_id: String(backend.class_id) })
  assert.equal(page.data.state, 'form')
  answer(page, () => 'fair')
  assert.equal(await d.act(page, 'submit'), null)
  const refusal = d.requests('POST', '/survey/responses').pop()
  assert.equal(refusal.status, 403)
  assert.match(page.text(), new RegExp(`提交未成功${refusal.answer.message}`))
  assert.equal(page.data.state, 'form')
})

test('trainee A: the form is built from the schedule and sent only once complete', async () => {
  const a = phones.A
  const page = await a.open('pages/survey/survey', { class_id: String(backend.class_id) })
  assert.equal(page.data.state, 'form')
  assert.equal(page.data.classTitle, '区块链技术数字化工程师高级研修班')
  assert.deepEqual(page.data.levels.map((l) => l.label), ['优秀', '良好', '一般', '较差'])
  assert.deepEqual(page.data.sections.map((s) => s.title), ['师资评价', '教学评价', '服务管理评价', '学员满意度评价'])
  const faculty = page.data.sections[0].items
  assert.deepEqual(faculty.map((i) => i.label), ['专题1', '专题2', '专题3', '专题4', '综合评价'])
  assert.equal(faculty[0].sub, '授课人：王建国')
  const items = page.data.sections.flatMap((s) => s.items)
  assert.equal(items.length, 14)

  // Nothing answered: nothing sent, every item marked.
  assert.equal(await a.act(page, 'submit'), false)
  assert.equal(Object.values(page.data.missing).filter(Boolean).length, 14)
  assert.match(page.text(), /还有14项未评价请完成标红的项目：师资评价·专题1、/)

  // All but two: still nothing sent, and the page names the two.
  answer(page, (item) => (['teaching_overall', 'satisfaction'].includes(item.key) ? undefined : levelsOf('A')(item)))
  assert.equal(await a.act(page, 'submit'), false)
  assert.deepEqual(Object.keys(page.data.missing).filter((k) => page.data.missing[k]), ['teaching_overall', 'satisfaction'])
  assert.match(page.text(), /还有2项未评价请完成标红的项目：教学评价·综合评价、学员满意度评价/)
  assert.equal(a.requests('POST', '/survey/responses').length, 0)
  assert.equal(stored(await stats()), 0)

  answer(page, (item) => (['teaching_overall', 'satisfaction'].includes(item.key) ? 'good' : undefined))
  await page.type('#suggestions', '  希望增加实操环节  ')
  assert.equal(await a.act(page, 'submit'), true)
  assert.equal(page.data.state, 'thanks')
  const [sent] = a.requests('POST', '/survey/responses')
  assert.equal(sent.status, 201)
  assert.deepEqual(Object.keys(sent.data.lectures), backend.session_ids.map(String))
  assert.equal(sent.data.suggestions, '希望增加实操环节')

  const after = await stats()
  assert.equal(stored(after), 1)

  // Opening the form again: already answered.
  const again = await a.open('pages/survey/survey', { class_id: String(backend.class_id) })
  assert.equal(again.data.state, 'already')
})

test('the lecturer logs in: with one answer, the rows are hidden', async () => {
  const phone = await new Phone(backend, 'lecturer-wang').launch()
  phones.lecturer = phone
  const login = await phone.open('pages/staff-login/staff-login')
  assert.equal(await phone.act(login, 'submit'), false, 'empty form: refused by the server')
  const empty = phone.requests('POST', '/auth/login').pop()
  assert.equal(empty.status, 422)
  assert.deepEqual(Object.keys(login.data.errors).sort(), ['password', 'username'])
  assert.equal(login.data.errors.password, empty.answer.fields.password.join('，'))
  assert.match(login.text(), new RegExp(`用户名${login.data.errors.username}`))

  await login.type('#username', backend.lecturer.username)
  await login.type('#password', 'wrong-password')
  await login.tap('#submit')
  const refused = phone.requests('POST', '/auth/login').pop()
  assert.equal(refused.status, 401)
  assert.match(login.text(), new RegExp(`登录未成功${refused.answer.message}`))

  await login.type('#password', backend.lecturer.password)
  assert.equal(await phone.act(login, 'submit'), true)
  assert.deepEqual(phone.wx.lastNavigation(), { type: 'redirectTo', url: '/pages/ratings/ratings', delta: undefined })

  const ratings = await phone.open('pages/ratings/ratings')
  assert.deepEqual(ratings.data.rows.map((r) => r.topic), ['专题1', '专题3'], 'only his own sessions')
  ratings.data.rows.forEach((row) => {
    assert.equal(row.hidden, true)
    assert.equal(row.hiddenText, '答卷少于3份，暂不显示')
    assert.equal(row.returned, 0, 'one form is held back until a batch fills or the survey closes')
    assert.deepEqual(row.levels, [])
  })
  assert.equal(ratings.data.summary.rated, false)
})

test('trainees B and C answer; B\'s answer is lost and repeated, still counted once', async () => {
  for (const [name, index] of [['B', 0], ['C', 1]]) {
    const phone = await new Phone(backend, backend.bound[index].code.slice(4)).launch()
    assert.equal((await scanIn(phone)).kind, 'ok')
    const page = await phone.open('pages/survey/survey', { class_id: String(backend.class_id) })
    answer(page, levelsOf(name))
    if (name === 'B') phone.wx.fault('lost', 'POST', '/survey/responses')
    assert.equal(await phone.act(page, 'submit'), name === 'B' ? null : true)
    assert.equal(page.data.state, 'thanks', `${name} is thanked`)
    assert.match(page.text(), /提交成功，感谢您的评价！/)
    if (name === 'B') {
      assert.deepEqual(phone.requests('POST', '/survey/responses').map((r) => r.status), [201, 409])
    }
  }
  const after = await stats()
  assert.deepEqual([after.issued, stored(after)], [3, 3])
})

test('the lecturer sees the new rating of session 1, with three answers', async () => {
  const closed = await backend.call('POST', `/classes/${backend.class_id}/survey/close`, backend.tokens.organizer)
  assert.equal(closed.status, 200, 'closing releases every form')
  const phone = phones.lecturer
  const ratings = await phone.open('pages/ratings/ratings')
  const [first, third] = ratings.data.rows
  assert.equal(first.topic, '专题1')
  assert.equal(first.hidden, false)
  assert.equal(first.returned, 3)
  assert.deepEqual(
    first.levels.map((l) => [l.label, l.count, l.rate]),
    [['优秀', 2, '66.7%'], ['良好', 1, '33.3%'], ['一般', 0, '0.0%'], ['较差', 0, '0.0%']]
  )
  assert.deepEqual(third.levels.map((l) => l.rate), ['0.0%', '100.0%', '0.0%', '0.0%'])
  // Over his two sessions: 2 excellent and 4 good of 6.
  assert.deepEqual(
    [ratings.data.summary.excellent, ratings.data.summary.satisfied, ratings.data.summary.returned],
    ['33.3%', '100.0%', 6]
  )

  // The other lecturer sees only her own sessions.
  const li = await new Phone(backend, 'lecturer-li').launch()
  const login = await li.open('pages/staff-login/staff-login')
  await login.type('#username', backend.other_lecturer.username)
  await login.type('#password', backend.other_lecturer.password)
  assert.equal(await li.act(login, 'submit'), true)
  const hers = await li.open('pages/ratings/ratings')
  assert.deepEqual(hers.data.rows.map((r) => r.topic), ['专题2', '专题4'])
})

test('an organizer cannot use the lecturer entrance; log-out forgets the account', async () => {
  const phone = await new Phone(backend, 'organizer-phone').launch()
  const login = await phone.open('pages/staff-login/staff-login')
  await login.type('#username', backend.organizer.username)
  await login.type('#password', backend.organizer.password)
  assert.equal(await phone.act(login, 'submit'), false)
  assert.match(login.text(), /登录未成功此入口仅供授课专家使用，组织者请使用电脑端管理页面/)
  assert.equal(phone.wx.getStorageSync('yanxiu.staffToken'), '')

  const lecturer = phones.lecturer
  const ratings = await lecturer.open('pages/ratings/ratings')
  await ratings.tap('#logout')
  assert.equal(lecturer.wx.getStorageSync('yanxiu.staffToken'), '')
  await lecturer.open('pages/ratings/ratings')
  assert.deepEqual(lecturer.wx.lastNavigation(), { type: 'redirectTo', url: '/pages/staff-login/staff-login', delta: undefined })
})
