// What a check-in code holds, turned into the body of POST /checkins.
//
// PLACEHOLDER until issue-3's format is merged.
const PREFIX = 'yanxiu:checkin:'

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

// The scene inside a mini-program path such as "pages/checkin/checkin?scene=abc%3D1".
function sceneOfPath(path) {
  const query = String(path || '').split('?')[1] || ''
  const pair = query.split('&').find((p) => p.indexOf('scene=') === 0)
  return pair ? decodeURIComponent(pair.slice('scene='.length)) : ''
}

// A wx.scanCode result: a plain QR's text, or the path of our own mini-program code.
function bodyFromScan(result) {
  if (!result) return null
  if (result.path) {
    const scene = sceneOfPath(result.path)
    if (scene) return bodyFromScene(scene)
  }
  return bodyFromText(result.result)
}

function bodyFromTypedCode(code, sessionId) {
  return { code: String(code), session_id: Number(sessionId) }
}

module.exports = { PREFIX, bodyFromText, bodyFromScene, bodyFromScan, sceneOfPath, bodyFromTypedCode }
