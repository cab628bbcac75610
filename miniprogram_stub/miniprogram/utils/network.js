// The phone's network state, for the bar every page shows and for the request helper, which
// does not fire a retry into a dead network: it waits for the network to come back instead.
let state = { online: true, type: 'unknown', weak: false }
const listeners = []

function set(online, type) {
  state = { online, type, weak: online && (type === '2g' || type === '3g') }
  listeners.slice().forEach((listener) => listener(state))
}

// Read the current state and follow its changes (app.js calls this once at launch).
function watch() {
  wx.getNetworkType({ success: (result) => set(result.networkType !== 'none', result.networkType) })
  wx.onNetworkStatusChange((result) => set(result.isConnected, result.networkType))
}

function current() {
  return state
}

// Call `listener(state)` now and on every change; returns the function that stops it.
function subscribe(listener) {
  listeners.push(listener)
  listener(state)
  return () => {
    const index = listeners.indexOf(listener)
    if (index >= 0) listeners.splice(index, 1)
  }
}

// Wait `ms` before a retry; offline, wait until the network is back, at most `ms`.
function pause(ms) {
  return new Promise((resolve) => {
    let stop = () => {}
    const timer = setTimeout(() => {
      stop()
      resolve(state.online)
    }, ms)
    if (!state.online) {
      stop = subscribe((now) => {
        if (!now.online) return
        clearTimeout(timer)
        stop()
        resolve(true)
      })
    }
  })
}

module.exports = { watch, current, subscribe, pause }
