// What the phone makes of a scanned code, and the few messages it writes itself: no backend.
const assert = require('node:assert/strict')
const { MINIPROGRAM } = require('./harness.js')

const checkin = require(`${MINIPROGRAM}/utils/checkin.js`)
const { NETWORK_MESSAGES } = require(`${MINIPROGRAM}/utils/messages.js`)
const kit = require(`${MINIPROGRAM}/utils/page.js`)

test('the mini-program keeps messages only for failures the server cannot answer', () => {
  assert.deepEqual(Object.keys(NETWORK_MESSAGES).sort(), ['network', 'offline', 'server', 'timeout', 'wechat_login_failed'])
  Object.values(NETWORK_MESSAGES).forEach((text) => assert.match(text, /^[\u4e00-\u9fff]/))
})

test('a notice names its next steps with the labels of one table; a network failure adds 重试', () => {
  const shown = kit.errorNotice({ code: 'timeout', network: true, message: NETWORK_MESSAGES.timeout }, ['rescan'])
  assert.deepEqual(shown.actions, [{ key: 'rescan', label: '重新扫码' }, { key: 'retry', label: '重试' }])
  assert.equal(shown.message, NETWORK_MESSAGES.timeout)
  const refused = kit.errorNotice({ code: 'not_enrolled', message: '服务器的话' }, ['toBind'])
  assert.deepEqual(refused.actions, [{ key: 'toBind', label: '去绑定' }])
  assert.equal(refused.message, '服务器的话')
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
  assert.equal(checkin.bodyFromScene(''), null)
  assert.deepEqual(checkin.bodyFromTypedCode('012345', '7'), { code: '012345', session_id: 7 })
})
