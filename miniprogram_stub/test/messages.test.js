// What the phone says for each error code, and what it makes of a scanned code: no backend.
const test = require('node:test')
const assert = require('node:assert/strict')
const { ERROR_MESSAGES, messageFor } = require('../utils/messages.js')
const checkin = require('../utils/checkin.js')

const CHINESE = /[\u4e00-\u9fff]/

test('every error code of docs/API.md has a Chinese message of its own', () => {
  const codes = [
    'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'validation_failed',
    'invalid_transition', 'username_taken', 'rate_limited', 'unavailable', 'invalid_credentials',
    'wechat_login_failed', 'not_on_roster', 'already_bound', 'invalid_token', 'token_expired',
    'not_enrolled', 'class_not_approved', 'checkin_closed', 'already_submitted', 'survey_closed',
    'not_attended', 'reason_required', 'wrong_mode', 'invalid_code'
  ]
  codes.forEach((code) => {
    assert.match(ERROR_MESSAGES[code] || '', CHINESE, code)
    assert.equal(messageFor({ code }), ERROR_MESSAGES[code])
  })
  assert.equal(messageFor({ code: 'token_expired', serverMessage: '签到码已过期' }), '二维码已过期，请重新扫描')
})

test('validation errors name the fields in Chinese', () => {
  const text = messageFor({
    code: 'validation_failed',
    fields: { phone: ['应为11位大陆手机号'], 'teaching.overall': ['请评价「教学综合评价」'], _schema: ['请求有误'] }
  })
  assert.equal(text, '手机号：应为11位大陆手机号；教学综合评价：请评价「教学综合评价」；请求有误')
})

test('details only the server knows are kept; unknown codes fall back to its words', () => {
  const closed = '不在签到时间内：签到于课程开始前 45 分钟开放，课程结束时关闭'
  assert.equal(messageFor({ code: 'checkin_closed', serverMessage: closed }), closed)
  assert.equal(messageFor({ code: 'checkin_closed' }), ERROR_MESSAGES.checkin_closed)
  assert.equal(messageFor({ code: 'something_new', serverMessage: '新的错误' }), '新的错误')
  assert.equal(messageFor({ code: 'http_502', status: 502 }), '操作失败，请稍后再试（http_502）')
})

test('a scan becomes a check-in body only when it is ours', () => {
  assert.deepEqual(checkin.bodyFromScan({ result: 'YXCI1:abc.def.s.SIG', scanType: 'QR_CODE' }), { token: 'abc.def.s.SIG' })
  assert.deepEqual(checkin.bodyFromScan({ result: '  YXCI1:tok \n' }), { token: 'tok' })
  assert.equal(checkin.bodyFromScan({ result: 'YXCI1:' }), null)
  assert.equal(checkin.bodyFromScan({ result: 'https://example.com/?YXCI1:tok' }), null)
  assert.equal(checkin.bodyFromScan({ result: 'abc.def.s.SIG' }), null, 'a bare token is not what the projector shows')
  assert.deepEqual(
    checkin.bodyFromScan({ scanType: 'WX_CODE', result: '', path: 'pages/checkin/checkin?scene=1.ab.s.X%2Fy' }),
    { scene: '1.ab.s.X/y' }
  )
  assert.deepEqual(checkin.bodyFromScene(decodeURIComponent('1.ab.s.X%2Fy')), { scene: '1.ab.s.X/y' })
  assert.equal(checkin.bodyFromScene(''), null)
  assert.deepEqual(checkin.bodyFromTypedCode('012345', '7'), { code: '012345', session_id: 7 })
})
