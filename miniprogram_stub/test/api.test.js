// utils/api.js against the real backend: tokens, log-in again on 401, retry policies, the
// server's own messages.
const assert = require('node:assert/strict')
const { startBackend, Phone, MINIPROGRAM } = require('./harness.js')

let backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(async () => {
  if (backend) await backend.stop()
})

function api() {
  return require(`${MINIPROGRAM}/utils/api.js`)
}

test('the first call logs in with wx.login and sends the token as a bearer header', async () => {
  const phone = await new Phone(backend, 'api-first').launch()
  assert.equal(phone.wx.calls.logins, 1, 'onLaunch logs in')
  const token = phone.wx.getStorageSync('yanxiu.token')
  assert.ok(token)
  assert.deepEqual(await api().get('/me/classes'), [])
  const [call] = phone.requests('GET', '/me/classes')
  assert.equal(call.header.Authorization, `Bearer ${token}`)
  assert.equal(phone.wx.calls.logins, 1, 'a stored token is reused')
})

test('a 401 logs in again and repeats the call once', async () => {
  const phone = await new Phone(backend, 'api-expired').launch()
  phone.wx.setStorageSync('yanxiu.token', 'expired-or-forged')
  assert.deepEqual(await api().get('/me/classes'), [])
  assert.deepEqual(phone.requests('GET', '/me/classes').map((c) => c.status), [401, 200])
  assert.equal(phone.wx.calls.logins, 2)
})

test('a log-out elsewhere (all tokens revoked) is healed by the same log-in again', async () => {
  const phone = await new Phone(backend, 'api-revoked').launch()
  const old = phone.wx.getStorageSync('yanxiu.token')
  assert.equal((await backend.call('POST', '/auth/logout', old)).status, 204)
  assert.deepEqual(await api().get('/me/classes'), [])
  assert.notEqual(phone.wx.getStorageSync('yanxiu.token'), old)
})

test('a GET is repeated once after a network failure, not twice; the failure says what happened', async () => {
  const phone = await new Phone(backend, 'api-flaky').launch()
  phone.wx.fault('offline', 'GET', '/me/classes')
  assert.deepEqual(await api().get('/me/classes'), [])
  assert.deepEqual(phone.requests('GET', '/me/classes').map((c) => c.fault), ['offline', null])

  phone.wx.fault('lost', 'GET', '/me/classes')
  phone.wx.fault('lost', 'GET', '/me/classes')
  await assert.rejects(api().get('/me/classes'), (error) => {
    assert.deepEqual([error.code, error.network, error.retried], ['timeout', true, true])
    assert.equal(error.message, '网络较慢，服务器没有及时回应，请稍后再试')
    return true
  })
})

test('a write not declared safe is never repeated', async () => {
  const phone = await new Phone(backend, 'api-post').launch()
  const [entry] = backend.unbound
  phone.wx.fault('offline', 'POST', '/me/enrollments')
  await assert.rejects(api().post('/me/enrollments', { name: entry.name, phone: entry.phone }), (error) => error.code === 'network')
  assert.equal(phone.requests('POST', '/me/enrollments').length, 1)
})

test('errors carry the server\'s code, fields and Chinese message as it sent them', async () => {
  const phone = await new Phone(backend, 'api-errors').launch()
  await assert.rejects(api().post('/me/enrollments', { name: '', phone: '12345' }), (error) => {
    const answer = phone.requests('POST', '/me/enrollments').pop().answer
    assert.equal(error.status, 422)
    assert.equal(error.code, 'validation_failed')
    assert.deepEqual(error.fields, answer.fields)
    assert.equal(error.message, answer.message)
    assert.match(error.message, /[\u4e00-\u9fff]/)
    return true
  })
  await assert.rejects(api().get('/classes/999999/schedule'), (error) => {
    assert.equal(error.status, 404)
    assert.equal(error.message, phone.requests('GET', '/classes/999999/schedule').pop().answer.message)
    return true
  })
})

test('an answer without the server\'s JSON (a gateway) has a message of ours', async () => {
  const phone = await new Phone(backend, 'api-gateway').launch()
  phone.wx.fault('gateway', 'POST', '/me/enrollments')
  await assert.rejects(api().post('/me/enrollments', { name: 'x', phone: '13800000000' }), (error) => {
    assert.deepEqual([error.status, error.code, error.network], [502, 'server', false])
    assert.equal(error.message, '服务器暂时无法回应，请稍后再试')
    return true
  })
})

test('a staff 401 forgets the staff token and never logs the trainee in again', async () => {
  const phone = await new Phone(backend, 'api-staff').launch()
  api().saveStaff('not-a-token', 'lecturer')
  await assert.rejects(api().get('/me', { auth: 'staff' }), (error) => error.status === 401 && /[\u4e00-\u9fff]/.test(error.message))
  assert.equal(phone.wx.getStorageSync('yanxiu.staffToken'), '')
  assert.equal(phone.wx.calls.logins, 1)
})
