// 我的证书 against the real backend: after the class the organizer issues certificates through
// the API (as the console does); the trainee reaches the page from my classes, sees each
// certificate with its 学时, opens the PDF and copies the verification link; a revoked
// certificate reads 已撤销.
const assert = require('node:assert/strict')
const { startBackend, Phone, until } = require('./harness.js')
const { httpRequest } = require('./http.js')

let backend
let kept
let revoked
beforeAll(async () => {
  backend = await startBackend({ ended: true })
  ;[kept, revoked] = await issueTwoRevokeOne()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

async function ok(answer, status = 200) {
  assert.equal(answer.status, status, JSON.stringify(answer.body))
  return answer.body
}

// Two bound trainees attend three of the four sessions (marked by the organizer), the rule asks
// half; both get a certificate, the second's is revoked. Returns both as the class lists them.
async function issueTwoRevokeOne() {
  const organizer = backend.tokens.organizer
  const [first, second] = backend.bound
  for (const entry of [first, second]) {
    for (const sessionId of backend.session_ids.slice(0, 3)) {
      const path = `/sessions/${sessionId}/attendance/${entry.enrollment_id}`
      await ok(await backend.call('PUT', path, organizer, { present: true, reason: '纸质签到表补录' }))
    }
  }
  const rule = { min_attendance: 0.5, require_survey: false }
  await ok(await backend.call('PUT', `/classes/${backend.class_id}/completion-rule`, organizer, rule))
  assert.deepEqual(await ok(await backend.call('POST', `/classes/${backend.class_id}/certificates`, organizer)), { issued: 2, total: 2 })
  const listed = await ok(await backend.call('GET', `/classes/${backend.class_id}/certificates`, organizer))
  const of = (entry) => ({ ...listed.find((c) => c.enrollment_id === entry.enrollment_id), openid: entry.code.slice(4) })
  const gone = of(second)
  await ok(await backend.call('POST', `/certificates/${gone.number}/revoke`, organizer, { reason: '出勤记录有误' }))
  return [of(first), gone]
}

test('my classes lead to 我的证书: the certificate with its class, 学时, number and date', async () => {
  const phone = await new Phone(backend, kept.openid).launch()
  const classes = await phone.open('pages/classes/classes')
  await classes.tap('#to-certificates')
  assert.deepEqual(phone.wx.lastNavigation(), { type: 'navigateTo', url: '/pages/certificates/certificates', delta: undefined })

  const page = await phone.open('pages/certificates/certificates')
  const [mine] = await ok(await backend.callAs(phone, 'GET', '/me/certificates'))
  assert.equal(kept.credit_hours, 7.5)
  const issued = mine.issued_at.replace(/^(\d{4})-0?(\d+)-0?(\d+).*/, '$1年$2月$3日')
  const text = page.text()
  assert.ok(text.includes(`${mine.title}7.5学时证书编号：${kept.number}颁发日期：${issued}`), text)
  assert.doesNotMatch(text, /已撤销/)
})

test('查看证书 downloads the PDF with the trainee\'s token and opens it in WeChat\'s viewer', async () => {
  const phone = await new Phone(backend, kept.openid).launch()
  const page = await phone.open('pages/certificates/certificates')
  await page.tap('.open-pdf')
  const [download] = phone.wx.calls.downloads
  assert.ok(download.url.endsWith(`/certificates/${kept.number}.pdf`))
  assert.equal(download.header.Authorization, `Bearer ${phone.wx.getStorageSync('yanxiu.token')}`)
  const [document] = phone.wx.calls.documents
  assert.equal(document.fileType, 'pdf')
  assert.equal(document.type, 'application/pdf')
  assert.equal(document.body.subarray(0, 5).toString(), '%PDF-')
  assert.equal(page.data.notice, null)
})

test('复制核验链接 copies the address an employer opens without logging in', async () => {
  const phone = await new Phone(backend, kept.openid).launch()
  const page = await phone.open('pages/certificates/certificates')
  await page.tap('.copy-link')
  await until(() => page.data.notice)
  const [url] = phone.wx.calls.clipboard
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/verify\/[\w-]{20,}$/)
  assert.match(page.text(), /核验链接已复制/)
  const verified = await httpRequest({ url, headers: { Accept: 'application/json' } })
  const body = JSON.parse(verified.text)
  assert.deepEqual([body.valid, body.number, body.credit_hours], [true, kept.number, 7.5])
})

test('a revoked certificate reads 已撤销, with no link to forward', async () => {
  const phone = await new Phone(backend, revoked.openid).launch()
  const page = await phone.open('pages/certificates/certificates')
  const text = page.text()
  assert.ok(text.includes(`已撤销7.5学时证书编号：${revoked.number}`), text)
  assert.match(text, /该证书已被承办单位撤销，不再作为结业证明/)
  assert.throws(() => page.find('.copy-link'), /not on the page/)
})

test('no certificate yet: the page says when one comes; a PDF that is not mine shows the server\'s words', async () => {
  const phone = await new Phone(backend, backend.bound[2].code.slice(4)).launch()
  const page = await phone.open('pages/certificates/certificates')
  assert.match(page.text(), /还没有结业证书。研修班结束后/)
  await phone.act(page, 'openPdf', { currentTarget: { dataset: { number: kept.number } } })
  await page.settled()
  const refused = await backend.callAs(phone, 'GET', `/certificates/${kept.number}.pdf`)
  assert.equal(refused.status, 404)
  assert.equal(page.data.notice.title, '未能打开证书')
  assert.equal(page.data.notice.message, refused.body.message)
  assert.equal(phone.wx.calls.documents.length, 0)
})
