// Applying through the mini-program against the real backend: the class opened from the
// mini-program code's scene, the form's own checks, the server's eligibility note, one live
// application per user, then 我的报名 with the organizer's decision and a withdrawal.
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
  const tomorrow = new Date(Date.now() + 86400000 + 8 * 3600000).toISOString().slice(0, 10)
  const opened = await backend.call('POST', `/classes/${backend.class_id}/recruitment`, backend.tokens.organizer, {
    closes_at: `${tomorrow}T18:00:00`,
    notice: '面向全省招收，食宿由承办单位安排。'
  })
  assert.equal(opened.status, 200, JSON.stringify(opened.body))
})
afterAll(async () => {
  if (backend) await backend.stop()
})

function pick(field, value) {
  return { currentTarget: { dataset: { field } }, detail: { value } }
}

async function fill(phone, page, { level, region }) {
  await page.type('#name', '周报名')
  await page.type('#phone', '139 0000 8801')
  await page.type('#employer', '神农架林区人民医院')
  await page.type('#professional-title', '医师')
  await phone.act(page, 'pick', pick('levelIndex', level))
  await phone.act(page, 'pick', pick('regionIndex', region))
  await phone.act(page, 'toggle', pick('grassroots', true))
}

test('the code opens the class; own checks first; an ineligible form is accepted with the note', async () => {
  const phone = await new Phone(backend, 'applicant-zhou').launch()
  const page = await phone.open('pages/apply/apply', { scene: encodeURIComponent(`c=${backend.class_id}`) })
  assert.match(page.text(), /区块链技术数字化工程师高级研修班/)
  assert.match(page.text(), /食宿由承办单位安排/)

  await page.tap('#submit')
  assert.deepEqual(Object.keys(page.data.errors).sort(), ['employer', 'name', 'phone', 'region', 'title_level'])
  assert.equal(phone.requests('POST', '/applications').length, 0)

  await fill(phone, page, { level: 2, region: 16 }) // 初级, 神农架林区
  await page.tap('#submit')
  const [sent] = phone.requests('POST', `/classes/${backend.class_id}/applications`)
  assert.equal(sent.status, 201)
  assert.equal(sent.data.phone, '13900008801')
  assert.equal(sent.data.region, '神农架林区')
  assert.equal(sent.data.title_level, 'junior')
  assert.equal(sent.data.grassroots, true)
  assert.match(page.text(), /报名已提交，等待承办单位审核/)
  assert.match(page.text(), /中高级职称/, "the server's note, shown as is")

  const again = await phone.open('pages/apply/apply', { class_id: String(backend.class_id) })
  await fill(phone, again, { level: 0, region: 0 })
  await again.tap('#submit')
  assert.equal(again.data.notice.title, '报名未成功')
  assert.match(again.data.notice.message, /您已报名本班/)
})

test('我的报名 shows the decision and its reason; a withdrawal frees the place', async () => {
  const phone = await new Phone(backend, 'applicant-zhou').launch()
  const mine = await phone.open('pages/applications/applications')
  assert.match(mine.text(), /区块链技术数字化工程师高级研修班待审核/)
  const [application] = mine.data.applications
  const decided = await backend.call('POST', `/applications/${application.id}/decision`, backend.tokens.organizer, {
    decision: 'reject',
    reason: '本期名额已满，欢迎报名下期'
  })
  assert.equal(decided.status, 200)
  await phone.act(mine, 'onPullDownRefresh')
  assert.match(mine.text(), /未录取理由：本期名额已满，欢迎报名下期/)

  await mine.tap('.withdraw')
  assert.equal(phone.requests('DELETE', `/me/applications/${application.id}`)[0].status, 200)
  assert.match(mine.text(), /已撤回/)
  assert.equal(mine.data.applications[0].canWithdraw, false)
})

test('after applying, the applicant may ask to be told the decision: one credit', async () => {
  const phone = await new Phone(backend, 'applicant-remind').launch()
  const page = await phone.open('pages/apply/apply', { class_id: String(backend.class_id) })
  await page.type('#name', '钱提醒')
  await page.type('#phone', '13900008803')
  await page.type('#employer', '宜昌市中心医院')
  await phone.act(page, 'pick', pick('levelIndex', 1))
  await phone.act(page, 'pick', pick('regionIndex', 3))
  await page.tap('#submit')
  assert.match(page.text(), /审核结果出来时通知我/)

  phone.wx.queueSubscribeAnswer({ 'tpl-application': 'accept' })
  await phone.act(page, 'remind')

  assert.deepEqual(phone.wx.calls.subscribePrompts, [['tpl-application']])
  assert.deepEqual(phone.requests('POST', '/me/subscriptions').map((r) => r.data), [{ accepted: { application: 1 } }])
  const credits = await backend.call('GET', '/me/subscriptions', phone.wx.getStorageSync('yanxiu.token'))
  assert.equal(credits.body.credits.application, 1)
})
