// utils/api.js against the real backend: tokens, log-in again on 401, retries, messages.
const test = require('node:test')
const assert = require('node:assert/strict')
const { startBackend, Phone } = require('./harness.js')

let backend
test.before(async () => {
  backend = await startBackend()
})
test.after(async () => {
  if (backend) await backend.stop()
})

function api() {
  return require('../utils/api.js')
}

test('the first call logs in with wx.login and sends the token as a bearer header', async () => {
  const phone = await new Phone(backend, 'api-first').launch()
  assert.equal(phone.wx.calls.logins, 1, 'onLaunch logs in')
  const token = phone.wx.getStorageSync('yanxiu.token')
  assert.ok(token)
  const classes = await api().get('/me/classes')
  assert.deepEqual(classes, [])
  const [call] = phone.requests('GET', '/me/classes')
  assert.equal(call.header.Authorization, `Bearer ${token}`)
  assert.equal(call.status, 200)
  assert.equal(phone.wx.calls.logins, 1, 'a stored token is reused')
})

test('a 401 logs in again and repeats the call once', async () => {
  const phone = await new Phone(backend, 'api-expired').launch()
  phone.wx.setStorageSync('yanxiu.token', 'expired-or-forged')
  const classes = await api().get('/me/classes')
  assert.deepEqual(classes, [])
  const calls = phone.requests('GET', '/me/classes')
  assert.deepEqual(calls.map((c) => c.status), [401, 200])
  assert.equal(phone.wx.calls.logins, 2)
  assert.notEqual(phone.wx.getStorageSync('yanxiu.token'), 'expired-or-forged')
})

test('a log-out elsewhere (all tokens revoked) is healed by the same log-in again', async () => {
  const phone = await new Phone(backend, 'api-revoked').launch()
  const old = phone.wx.getStorageSync('yanxiu.token')
  const out = await backend.call('POST', '/auth/logout', old)
  assert.equal(out.status, 204)
  assert.deepEqual(await api().get('/me/classes'), [])
  assert.notEqual(phone.wx.getStorageSync('yanxiu.token'), old)
})

test('a GET is repeated once after a network failure, not twice', async () => {
  const phone = await new Phone(backend, 'api-flaky').launch()
  phone.wx.fault('offline', 'GET', '/me/classes')
  assert.deepEqual(await api().get('/me/classes'), [])
  assert.deepEqual(phone.requests('GET', '/me/classes').map((c) => c.fault), ['offline', null])

  phone.wx.fault('offline', 'GET', '/me/classes')
  phone.wx.fault('lost', 'GET', '/me/classes')
  await assert.rejects(api().get('/me/classes'), (error) => {
    assert.equal(error.code, 'network')
    assert.equal(error.message, '网络连接失败，请检查网络后重试')
    return true
  })
})

test('a POST that is not declared safe is not repeated after a network failure', async () => {
  const phone = await new Phone(backend, 'api-post').launch()
  const [entry] = backend.unbound
  phone.wx.fault('offline', 'POST', '/me/enrollments')
  await assert.rejects(
    api().post('/me/enrollments', { class_id: backend.class_id, name: entry.name, phone: entry.phone }),
    (error) => error.code === 'network'
  )
  assert.equal(phone.requests('POST', '/me/enrollments').length, 1)
})

test('errors carry the code, the fields and a Chinese message for the toast', async () => {
  await new Phone(backend, 'api-errors').launch()
  await assert.rejects(
    api().post('/me/enrollments', { class_id: backend.class_id, name: '', phone: '12345' }),
    (error) => {
      assert.equal(error.status, 422)
      assert.equal(error.code, 'validation_failed')
      assert.ok(error.fields.phone && error.fields.name)
      assert.match(error.message, /手机号：/)
      assert.match(error.message, /姓名：/)
      return true
    }
  )
  await assert.rejects(
    api().post('/me/enrollments', { class_id: backend.class_id, name: '不在名单', phone: '13800000000' }),
    (error) => error.code === 'not_on_roster' && /名单中没有找到您/.test(error.message)
  )
  await assert.rejects(api().get('/classes/999999/schedule'), (error) => error.status === 404 && error.message === '找不到请求的内容')
})

test('a staff 401 forgets the staff token and asks to log in again', async () => {
  const phone = await new Phone(backend, 'api-staff').launch()
  api().saveStaff('not-a-token', 'lecturer')
  await assert.rejects(api().get('/me', { auth: 'staff' }), (error) => {
    assert.equal(error.code, 'staff_unauthorized')
    assert.equal(error.message, '登录已过期，请重新登录')
    return true
  })
  assert.equal(phone.wx.getStorageSync('yanxiu.staffToken'), '')
  assert.equal(phone.wx.calls.logins, 1, 'a staff 401 never logs the trainee in again')
})
