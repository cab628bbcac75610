// 签退 from the phone, against the real backend: the class turns it on, the session's end
// comes near, the trainee scans the projector's check-out QR on the check-in page.
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

function iso(date) {
  return new Date(date).toISOString()
}

test('a check-out QR goes to POST /checkouts and says 签退成功, once', async () => {
  const organizer = backend.tokens.organizer
  const first = backend.session_ids[0]
  const trainee = backend.bound[4]
  const phone = await new Phone(backend, trainee.code.slice('dev:'.length)).launch()
  const page = await phone.open('pages/checkin/checkin')
  const scan = async (text) => {
    phone.wx.queueScan({ result: text, scanType: 'QR_CODE' })
    await page.tap('#scan')
  }
  const on = await backend.call('PUT', `/classes/${backend.class_id}/checkout`, organizer, { enabled: true })
  assert.equal(on.status, 200)
  const ends = Date.now() + 10 * 60 * 1000 // the session ends in 10 minutes
  const moved = await backend.call('PATCH', `/sessions/${first}`, organizer, {
    starts_at: iso(ends - 2 * 3600 * 1000),
    ends_at: iso(ends),
    reason: '提前下课'
  })
  assert.equal(moved.status, 200, JSON.stringify(moved.body))
  const code = await backend.call('GET', `/sessions/${first}/checkout-code`, organizer)
  assert.equal(code.status, 200)

  await scan(code.body.qr_text)
  assert.equal(page.data.notice.title, '签退成功')
  assert.deepEqual(phone.requests('POST', '/checkins'), [], 'never sent as a check-in')
  assert.equal(phone.requests('POST', '/checkouts').length, 1)
  await scan(code.body.qr_text)
  assert.equal(page.data.notice.title, '签退成功', 'the first check-out again')
  await scan('YXCO1:forged')
  assert.equal(page.data.notice.title, '签退未成功')
  assert.match(page.text(), /签退码无效/)
})
