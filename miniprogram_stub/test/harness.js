// Runs the mini-program's own code under jest + jsdom: the real backend in a child process,
// and phones that boot app.js and open pages with miniprogram-simulate (WeChat's own tool:
// the official WXML compiler, the component framework, its `wx`), with what the tool cannot
// do laid over its `wx` (test/wx-shim.js) and the page lifecycle played as WeChat plays it.

const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { setImmediate } = require('node:timers')
const simulate = require('miniprogram-simulate')
const { httpRequest } = require('./http.js')
const { createWx } = require('./wx-shim.js')

const ROOT = path.resolve(__dirname, '..')
const MINIPROGRAM = path.join(ROOT, 'miniprogram')
const REPO = path.resolve(ROOT, '..')
// miniprogram-simulate's own wx (installed as a global when it loads), under each phone's.
const SIMULATED_WX = global.wx
const PYTHON = process.env.YANXIU_PYTHON || path.join(REPO, '.venv', 'bin', 'python')
const STARTUP_MS = 60000

// ---- the backend ----

// Start test/start_backend.py; resolves with its scenario (JSON) and a few helpers.
// `ended`: the class ran five days ago (every session over, certificates can be issued).
function startBackend({ ended = false } = {}) {
  const args = [path.join(__dirname, 'start_backend.py'), ...(ended ? ['--ended'] : [])]
  const child = spawn(PYTHON, args, {
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
    const response = await httpRequest({
      method,
      url: this.api + apiPath,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = response.text
    let parsed = text
    try {
      parsed = JSON.parse(text)
    } catch (ignored) {
      // not JSON
    }
    return { status: response.status, body: parsed }
  }

  // An answer as it came: { status, headers, body (Buffer), text }.
  raw(method, apiPath, token) {
    return httpRequest({ method, url: this.api + apiPath, headers: token ? { Authorization: `Bearer ${token}` } : {} })
  }

  // The fake WeChat's side server (test/start_backend.py): what the backend asked WeChat for.
  control(controlPath) {
    return httpRequest({ url: this.wechat_control + controlPath })
  }

  // A call as the trainee logged in on `phone` (its stored token): set-up a test needs.
  callAs(phone, method, apiPath, body) {
    return this.call(method, apiPath, phone.wx.getStorageSync('yanxiu.token'), body)
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

// Resolve once `ready()` holds: checked after every turn of the event loop (a state, never a clock).
function until(ready) {
  return new Promise((resolve) => {
    const check = () => (ready() ? resolve() : setImmediate(check))
    check()
  })
}

// Two turns of the microtask queue: j-component hands a dispatched event over in one.
async function eventDelivered() {
  await Promise.resolve()
  await Promise.resolve()
}

// One page as a trainee sees it: rendered by miniprogram-simulate from its real WXML.
class PageView {
  constructor(phone, component) {
    this.phone = phone
    this.component = component
  }

  get instance() {
    return this.component.instance
  }

  get data() {
    return this.component.instance.data
  }

  // Everything the page shows, as text (custom components included; elements run together).
  text() {
    return this.component.dom.textContent.replace(/\s+/g, '')
  }

  find(selector) {
    const found = this.component.querySelector(selector)
    if (!found) throw new Error(`${selector} is not on the page`)
    return found
  }

  // The notice's buttons, as the trainee reads them.
  actions() {
    const notice = this.component.querySelector('#notice')
    if (!notice) return []
    return notice.querySelectorAll('.notice-action').map((button) => button.dom.textContent.trim())
  }

  // Tap what `selector` finds, then wait until the action it started is over.
  async tap(selector) {
    this.phone.activate()
    this.find(selector).dispatchEvent('tap')
    await eventDelivered()
    await this.settled()
  }

  // Tap the notice's button labelled `label`.
  async tapAction(label) {
    this.phone.activate()
    const notice = this.find('#notice')
    const button = notice.querySelectorAll('.notice-action').find((b) => b.dom.textContent.trim() === label)
    if (!button) throw new Error(`no button ${label} among ${this.actions().join(', ')}`)
    button.dispatchEvent('tap')
    await eventDelivered()
    await this.settled()
  }

  // Type `value` into the input `selector`.
  async type(selector, value) {
    this.phone.activate()
    this.find(selector).dispatchEvent('input', { detail: { value } })
    await eventDelivered()
  }

  settled() {
    return until(() => !this.data.busy)
  }
}

// Ids in miniprogram-simulate. Jest keeps a required module for the whole file, so each page
// and component is loaded (its js run, its Component() registered) once, like WeChat runs a
// module once per app, and rendered afresh each time a page opens. Pages get the components
// already loaded, by tag name, through the tool's `usingComponents` option.
const componentIds = {}
const pageIds = {}

function usedComponents(route) {
  const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, `${route}.json`), 'utf8'))
  const ids = {}
  Object.entries(json.usingComponents || {}).forEach(([tag, used]) => {
    if (!componentIds[used]) componentIds[used] = simulate.load(path.join(MINIPROGRAM, used), tag, { rootPath: MINIPROGRAM })
    ids[tag] = componentIds[used]
  })
  return ids
}

function pageId(route) {
  if (!pageIds[route]) {
    pageIds[route] = simulate.load(path.join(MINIPROGRAM, route), { rootPath: MINIPROGRAM, usingComponents: usedComponents(route) })
  }
  return pageIds[route]
}

// What app.js hands to App(): read once (jest keeps required modules for the whole file).
let loadedApp = null
function appDefinition() {
  if (!loadedApp) {
    global.App = (definition) => {
      loadedApp = definition
    }
    require(path.join(MINIPROGRAM, 'app.js'))
  }
  return loadedApp
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
    global.wx = { ...SIMULATED_WX, ...this.wx }
    global.getApp = () => this.app
    require(path.join(MINIPROGRAM, 'config.js')).apiBase = this.backend.api
  }

  // Start the mini-program: App() from app.js, then its onLaunch.
  async launch() {
    this.activate()
    const definition = appDefinition()
    this.app = { ...definition, globalData: clone(definition.globalData || {}) }
    await this.app.onLaunch({ path: 'pages/index/index', query: {}, scene: 1001 })
    return this
  }

  // Open a page ('pages/checkin/checkin') as WeChat does: render it, onLoad(query), onShow.
  async open(route, query = {}) {
    this.activate()
    const component = simulate.render(pageId(route))
    component.attach(document.createElement('parent-wrapper'))
    const page = component.instance
    if (page.onLoad) await page.onLoad(query)
    if (page.onShow) await page.onShow()
    return new PageView(this, component)
  }

  // Call a page method the way WeChat would (a lifecycle, a pull-down), and wait for it.
  async act(page, method, ...args) {
    this.activate()
    return page.instance[method](...args)
  }

  // The requests this phone sent whose URL contains `apiPath` (and of this method).
  requests(method, apiPath) {
    return this.wx.calls.requests.filter((r) => r.method === method && r.url.includes(apiPath))
  }
}

module.exports = { ROOT, MINIPROGRAM, REPO, startBackend, Phone, until }
