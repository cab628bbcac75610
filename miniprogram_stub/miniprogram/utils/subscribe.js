// Reminders (微信订阅消息): ask at a natural moment, report what the user accepted.
//
//   const subscribe = require('../../utils/subscribe.js')
//   onLoad() { subscribe.prepare() }                             // reads the template ids
//   remind() { return subscribe.ask(['session_start', 'survey']) } // a tap handler
//
// WeChat shows its prompt only in answer to a tap, so ask() calls wx.requestSubscribeMessage at
// once, with the template ids prepare() read beforehand (GET /me/subscriptions: the kinds that
// are on); kinds without one are not asked for. Every "accept" allows one message of that kind
// and is reported to POST /me/subscriptions. Whatever fails (the prompt closed, no network)
// ends quietly: a reminder is a courtesy, never a reason for a page to show an error.
const api = require('./api.js')

let templates = {}

// Read the template ids of the kinds that are on; resolves with them.
async function prepare() {
  try {
    templates = (await api.get('/me/subscriptions')).templates || {}
  } catch (ignored) {
    // keep what was read before
  }
  return templates
}

// Those of `kinds` the server has a template for.
function offered(kinds) {
  return kinds.filter((kind) => templates[kind])
}

function requestSubscribe(tmplIds) {
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds, success: resolve, fail: () => resolve({}) })
  })
}

// Ask for `kinds` (from a tap); resolves with what was accepted and reported ({} if nothing).
async function ask(kinds) {
  const asked = offered(kinds)
  if (!asked.length) return {}
  const answer = await requestSubscribe(asked.map((kind) => templates[kind]))
  const accepted = {}
  asked.forEach((kind) => {
    if (answer[templates[kind]] === 'accept') accepted[kind] = 1
  })
  if (!Object.keys(accepted).length) return {}
  try {
    await api.post('/me/subscriptions', { accepted })
  } catch (ignored) {
    return {}
  }
  return accepted
}

module.exports = { prepare, offered, ask }
