// What one phone's `wx` needs beyond miniprogram-simulate's own `wx` (whose calls answer
// canned values): the parts the official tool cannot do. The harness lays these over it.
//
// - request: real HTTP (Node's http module), answering like wx.request: `success` for every HTTP
//   answer (any status, JSON parsed), `fail` only when no answer arrived. Faults can be
//   scheduled: 'offline' (nothing is sent), 'lost' (sent and processed, the answer lost),
//   'gateway' (sent and processed, a proxy in between answers 502 with its own page) or
//   'slow' (the answer arrives half a second late).
// - network state: getNetworkType / onNetworkStatusChange follow `setNetwork(type)`; with
//   'none' every request fails at once as WeChat's does offline.
// - login: a `dev:<name>` code, as the backend accepts with DEV_LOGIN=1.
// - scanCode: the next queued scan result (the text of a code the test fetched from the
//   backend), or a cancel when none is queued.
// - downloadFile: real HTTP GET, the body kept as a file in memory (readable through
//   getFileSystemManager().readFileSync); openDocument and setClipboardData recorded.
// - storage in memory (the tool's storage keeps nothing); toasts and navigation recorded.

const { setImmediate } = require('node:timers')
const { httpRequest } = require('./http.js')

function encodeQuery(data) {
  return Object.keys(data)
    .filter((key) => data[key] !== undefined && data[key] !== null)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(data[key])}`)
    .join('&')
}

function clone(value) {
  return value === undefined ? value : JSON.parse(JSON.stringify(value))
}

function later(fn) {
  setImmediate(fn)
}

function createWx({ openid } = {}) {
  const storage = new Map()
  const faults = []
  const scans = []
  const subscribeAnswers = []
  const calls = { requests: [], toasts: [], navigations: [], logins: 0, scans: [], downloads: [], documents: [], clipboard: [], subscribePrompts: [] }
  const files = new Map()
  const network = { type: 'wifi', listeners: [] }

  function finish(options, key, result) {
    later(() => {
      if (options[key]) options[key](result)
      if (options.complete) options.complete(result)
    })
  }

  function takeFault(method, url) {
    const index = faults.findIndex((f) => (!f.method || f.method === method) && url.includes(f.path))
    return index >= 0 ? faults.splice(index, 1)[0] : null
  }

  function navigate(type) {
    return (options = {}) => {
      calls.navigations.push({ type, url: options.url, delta: options.delta })
      finish(options, 'success', { errMsg: `${type}:ok` })
    }
  }

  const wx = {
    request(options) {
      const method = (options.method || 'GET').toUpperCase()
      let url = options.url
      const header = { 'content-type': 'application/json', ...(options.header || {}) }
      let body
      if (options.data !== undefined) {
        if (method === 'GET') {
          const query = typeof options.data === 'string' ? options.data : encodeQuery(options.data)
          if (query) url += (url.includes('?') ? '&' : '?') + query
        } else {
          body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data)
        }
      }
      const record = { method, url, data: clone(options.data), header: { ...header }, status: null, fault: null }
      calls.requests.push(record)
      const fault = network.type === 'none' ? { kind: 'offline' } : takeFault(method, url)
      record.fault = fault ? fault.kind : null
      record.timeout = options.timeout
      if (fault && fault.kind === 'offline') {
        finish(options, 'fail', { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' })
        return { abort() {} }
      }
      httpRequest({ method, url, headers: header, body, timeout: options.timeout || 60000 })
        .then(async (response) => {
          const text = response.text
          let data = text
          if ((options.dataType || 'json') === 'json') {
            try {
              data = JSON.parse(text)
            } catch (ignored) {
              data = text
            }
          }
          record.status = response.status
          record.answer = data
          if (fault && fault.kind === 'lost') {
            finish(options, 'fail', { errMsg: 'request:fail timeout' })
            return
          }
          if (fault && fault.kind === 'gateway') {
            finish(options, 'success', { data: '<html>502 Bad Gateway</html>', statusCode: 502, header: {}, cookies: [], errMsg: 'request:ok' })
            return
          }
          if (fault && fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, 500))
          finish(options, 'success', { data, statusCode: response.status, header: response.headers, cookies: [], errMsg: 'request:ok' })
        })
        .catch((error) => finish(options, 'fail', { errMsg: `request:fail ${error.message}` }))
      return { abort() {} }
    },

    downloadFile(options) {
      const record = { url: options.url, header: { ...(options.header || {}) }, status: null }
      calls.downloads.push(record)
      if (network.type === 'none') {
        finish(options, 'fail', { errMsg: 'downloadFile:fail net::ERR_INTERNET_DISCONNECTED' })
        return { abort() {} }
      }
      httpRequest({ url: options.url, headers: record.header, timeout: options.timeout || 60000 })
        .then((response) => {
          const tempFilePath = `http://tmp/download-${calls.downloads.length}`
          files.set(tempFilePath, { body: response.body, type: response.headers['content-type'] })
          record.status = response.status
          finish(options, 'success', { tempFilePath, statusCode: response.status, errMsg: 'downloadFile:ok' })
        })
        .catch((error) => finish(options, 'fail', { errMsg: `downloadFile:fail ${error.message}` }))
      return { abort() {} }
    },

    getFileSystemManager() {
      return {
        readFileSync(filePath, encoding) {
          if (!files.has(filePath)) throw new Error(`readFileSync:fail no such file ${filePath}`)
          const { body } = files.get(filePath)
          return encoding ? body.toString(encoding) : body
        }
      }
    },

    openDocument(options) {
      const file = files.get(options.filePath)
      calls.documents.push({ filePath: options.filePath, fileType: options.fileType, showMenu: options.showMenu, ...file })
      if (file) finish(options, 'success', { errMsg: 'openDocument:ok' })
      else finish(options, 'fail', { errMsg: 'openDocument:fail file not found' })
    },

    setClipboardData(options) {
      calls.clipboard.push(options.data)
      finish(options, 'success', { errMsg: 'setClipboardData:ok' })
    },

    login(options = {}) {
      calls.logins += 1
      finish(options, 'success', { code: `dev:${openid}`, errMsg: 'login:ok' })
    },

    scanCode(options = {}) {
      calls.scans.push({ onlyFromCamera: options.onlyFromCamera, scanType: options.scanType })
      const next = scans.shift()
      if (!next) finish(options, 'fail', { errMsg: 'scanCode:fail cancel' })
      else finish(options, 'success', { charSet: 'utf-8', errMsg: 'scanCode:ok', ...next })
    },

    // WeChat's subscribe prompt: the next queued answer ({ "<template id>": "accept" | "reject" }),
    // or the prompt closed (fail) when none is queued.
    requestSubscribeMessage(options = {}) {
      calls.subscribePrompts.push(clone(options.tmplIds))
      const next = subscribeAnswers.shift()
      if (!next) finish(options, 'fail', { errMsg: 'requestSubscribeMessage:fail cancel' })
      else finish(options, 'success', { errMsg: 'requestSubscribeMessage:ok', ...next })
    },

    getNetworkType(options = {}) {
      finish(options, 'success', { networkType: network.type, errMsg: 'getNetworkType:ok' })
    },
    onNetworkStatusChange(listener) {
      network.listeners.push(listener)
    },

    getStorageSync(key) {
      return storage.has(key) ? clone(storage.get(key)) : ''
    },
    setStorageSync(key, value) {
      storage.set(key, clone(value))
    },
    removeStorageSync(key) {
      storage.delete(key)
    },

    showToast(options = {}) {
      calls.toasts.push({ title: options.title, icon: options.icon })
      finish(options, 'success', { errMsg: 'showToast:ok' })
    },

    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    navigateBack: navigate('navigateBack'),

    // ---- for the tests ----
    calls,
    // The phone's network becomes `type` ('none', 'wifi', '4g', '2g', ...), as WeChat reports it.
    setNetwork(type) {
      network.type = type
      network.listeners.forEach((listener) => listener({ isConnected: type !== 'none', networkType: type }))
    },
    // The next request of this method whose URL contains `path` meets a fault.
    fault(kind, method, path) {
      faults.push({ kind, method, path })
    },
    // What the next wx.scanCode returns: { result, scanType } or { path, scanType }.
    queueScan(result) {
      scans.push(result)
    },
    // How the user answers the next subscribe prompt: { "<template id>": "accept" | "reject" }.
    queueSubscribeAnswer(answer) {
      subscribeAnswers.push(answer)
    },
    lastNavigation() {
      return calls.navigations[calls.navigations.length - 1] || null
    }
  }
  return wx
}

module.exports = { createWx }
