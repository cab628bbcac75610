// What a check-in code holds, turned into the body of POST /checkins.
//
// - The QR on the projector holds plain text: "YXCI1:" and a signed token that names the
//   session and its 15-second slot (backend/checkin/tokens.py). Text without the prefix is
//   not ours (a web address, another QR) and is refused here, before anything is sent.
// - The session's mini-program code opens pages/checkin/checkin with `scene` (≤ 32
//   characters, signed too); scanned from inside the mini-program, wx.scanCode returns its
//   path "pages/checkin/checkin?scene=…".
// - The 6-digit code beside the QR is sent with the session it was typed for.
// - At the end of a session of a class that uses 签退, the projector shows a check-out QR:
//   "YXCO1:" and its token, sent whole to POST /checkouts (never to POST /checkins).

const PREFIX = 'YXCI1:'
const CHECKOUT_PREFIX = 'YXCO1:'

function bodyFromText(text) {
  const value = String(text || '').trim()
  if (value.indexOf(PREFIX) === 0 && value.length > PREFIX.length) {
    return { token: value.slice(PREFIX.length) }
  }
  return null
}

function bodyFromScene(scene) {
  const value = String(scene || '').trim()
  return value ? { scene: value } : null
}

// The scene inside a mini-program path such as "pages/checkin/checkin?scene=abc%2E1".
function sceneOfPath(path) {
  const query = String(path || '').split('?')[1] || ''
  const pair = query.split('&').find((p) => p.indexOf('scene=') === 0)
  return pair ? decodeURIComponent(pair.slice('scene='.length)) : ''
}

// A wx.scanCode result: the text of a plain QR, or the path of our own mini-program code.
function bodyFromScan(result) {
  if (!result) return null
  if (result.path) {
    const scene = sceneOfPath(result.path)
    if (scene) return bodyFromScene(scene)
  }
  return bodyFromText(result.result)
}

// The body of POST /checkouts for a scanned check-out QR; null for any other code.
function checkoutFromScan(result) {
  const value = String((result && result.result) || '').trim()
  return value.indexOf(CHECKOUT_PREFIX) === 0 && value.length > CHECKOUT_PREFIX.length ? { token: value } : null
}

function bodyFromTypedCode(code, sessionId) {
  return { code: String(code), session_id: Number(sessionId) }
}

module.exports = { PREFIX, checkoutFromScan, bodyFromText, bodyFromScene, bodyFromScan, sceneOfPath, bodyFromTypedCode }
