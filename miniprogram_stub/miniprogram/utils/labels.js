// The server's Chinese labels (GET /labels): class statuses, attendance states and modes,
// survey levels and items. Nothing here spells a label out: the mini-program shows the server's
// words. Loaded once and kept in storage; app.js refreshes them at every launch.
//
//   const labels = await require('../../utils/labels.js').load()
//   labels.attendance_state.late // '迟到'

const api = require('./api.js')

const STORAGE_KEY = 'yanxiu.labels'

let pending = null

// Fetch the labels again and store them. Concurrent callers share one request.
function refresh() {
  if (!pending) {
    pending = api
      .get('/labels', { auth: 'none' })
      .then((labels) => {
        wx.setStorageSync(STORAGE_KEY, labels)
        return labels
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

// The stored labels, or fetched now when none are stored yet.
function load() {
  const stored = wx.getStorageSync(STORAGE_KEY)
  return stored ? Promise.resolve(stored) : refresh()
}

module.exports = { STORAGE_KEY, load, refresh }
