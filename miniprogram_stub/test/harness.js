// Runs the mini-program's own code under Node: the real backend in a child process, and
// phones (a wx shim each) that boot app.js and open pages the way WeChat does: a global
// `Page` captures the page's definition, `getApp` returns the app, `wx` is the phone's shim.

const path = require('node:path')
const { spawn } = require('node:child_process')
const { createWx } = require('./wx-shim.js')

const ROOT = path.resolve(__dirname, '..')
const REPO = path.resolve(ROOT, '..')
const PYTHON = process.env.YANXIU_PYTHON || path.join(REPO, '.venv', 'bin', 'python')
const STARTUP_MS = 60000

// ---- the backend ----

// Start test/start_backend.py; resolves with its scenario (JSON) and a few helpers.
function startBackend() {
  const child = spawn(PYTHON, [path.join(__dirname, 'start_backend.py')], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let log = ''
  child.stderr.on('data', (chunk) => {
    log += chunk
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`backend did not start in time:\n${log}`))
    }, STARTUP_MS)
    child.once('exit', (status) => {
      clearTimeout(timer)
      reject(new Error(`backend exited (${status}) before it was ready:\n${log}`))
    })
    child.stdout.on('data', (chunk) => {
      out += chunk
      const newline = out.indexOf('\n')
      if (newline < 0) return
      clearTimeout(timer)
      const scenario = JSON.parse(out.slice(0, newline))
      resolve(new Backend(scenario, child, exited, () => log))
    })
  })
}

class Backend {
  constructor(scenario, child, exited, log) {
    Object.assign(this, scenario)
    this.child = child
    this.exited = exited
    this.log = log
  }

  // A direct API call (as an organizer or admin would make it): { status, body }.
  async call(method, apiPath, token, body) {
    const headers = { 'content-type': 'application/json' }
    if (token) headers.Authorization = `Bearer ${token}`
    const response = await fetch(this.api + apiPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    let parsed = text
    try {
      parsed = JSON.parse(text)
    } catch (ignored) {
      // not JSON
    }
    return { status: response.status, body: parsed }
  }

  // Close its stdin (it stops serving and removes its temporary folder), then wait.
  async stop() {
    this.child.stdin.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000)
    await this.exited
    clearTimeout(timer)
    if (/Traceback/.test(this.log())) process.stderr.write(`backend errors:\n${this.log()}\n`)
  }
}

// ---- pages ----

function clone(value) {
  return value === undefined ? value : JSON.parse(JSON.stringify(value))
}

// "a.b[2].c" → ['a', 'b', 2, 'c'], as this.setData reads its keys.
function pathOf(key) {
  const parts = []
  key.replace(/([^.[\]]+)|\[(\d+)\]/g, (match, name, index) => {
    parts.push(index === undefined ? name : Number(index))
    return match
  })
  return parts
}

function setPath(target, key, value) {
  const parts = pathOf(key)
  let node = target
  parts.slice(0, -1).forEach((part, i) => {
    if (node[part] === undefined || node[part] === null || typeof node[part] !== 'object') {
      node[part] = typeof parts[i + 1] === 'number' ? [] : {}
    }
    node = node[part]
  })
  node[parts[parts.length - 1]] = value
}

// A page instance as WeChat makes one: the definition's methods, a copy of its data,
// and setData (values are copied, as WeChat serialises them to the view).
function instantiate(definition, route) {
  const page = { route, options: {} }
  Object.keys(definition).forEach((name) => {
    if (name !== 'data') page[name] = definition[name]
  })
  page.data = clone(definition.data || {})
  page.setData = (patch, callback) => {
    Object.keys(patch).forEach((key) => setPath(page.data, key, clone(patch[key])))
    if (callback) callback()
  }
  return page
}

function freshRequire(file) {
  delete require.cache[require.resolve(file)]
  return require(file)
}

// One phone with WeChat open on our mini-program, logged in as the WeChat user `openid`.
class Phone {
  constructor(backend, openid) {
    this.backend = backend
    this.openid = openid
    this.wx = createWx({ openid })
    this.app = null
  }

  activate() {
    global.wx = this.wx
    global.getApp = () => this.app
    require(path.join(ROOT, 'config.js')).apiBase = this.backend.api
  }

  // Start the mini-program: App() from app.js, then its onLaunch.
  async launch() {
    this.activate()
    global.App = (definition) => {
      this.app = { ...definition, globalData: clone(definition.globalData || {}) }
    }
    freshRequire(path.join(ROOT, 'app.js'))
    await this.app.onLaunch({ path: 'pages/index/index', query: {}, scene: 1001 })
    return this
  }

  // Open a page ('pages/checkin/checkin') with launch options: onLoad(options), then onShow.
  async open(route, options = {}) {
    this.activate()
    let definition = null
    global.Page = (def) => {
      definition = def
    }
    freshRequire(path.join(ROOT, `${route}.js`))
    if (!definition) throw new Error(`${route}.js did not call Page()`)
    const page = instantiate(definition, route)
    page.options = options
    if (page.onLoad) await page.onLoad(options)
    if (page.onShow) await page.onShow()
    return page
  }

  // Call a page method the way a tap or an input would, and wait for it.
  async act(page, method, event) {
    this.activate()
    return page[method](event)
  }

  // The requests this phone sent whose URL contains `apiPath` (and of this method).
  requests(method, apiPath) {
    return this.wx.calls.requests.filter((r) => r.method === method && r.url.includes(apiPath))
  }
}

// An event object as a tap, input or change hands to its handler.
function event(value, dataset = {}) {
  return { type: 'custom', detail: { value }, currentTarget: { dataset }, target: { dataset } }
}

module.exports = { ROOT, REPO, startBackend, Phone, event, instantiate, pathOf }
