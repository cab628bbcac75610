// The one request helper over wx.request: base URL, bearer token, JSON, a new log-in on 401,
// retries after network failures for calls safe to repeat, and errors that carry the
// server's own Chinese message.
//
//   const api = require('../../utils/api.js')
//   const classes = await api.get('/me/classes')
//   const answer = await api.request({ method: 'POST', path: '/checkins', data, retry: 'checkin' })
//   // answer: { status, data, retried }
//   const filePath = await api.download('/certificates/YX2023-00001-000001.pdf')
//
// Failures reject with an ApiError: { status, code, message, fields, network, retried }.
// `message` is the server's `message`; only when no answer of the server arrived is it one of
// utils/messages.js (offline, timeout, network, server).
//
// Retry policies (`retry`), by what a repeat can do:
// - 'read' (every GET): changes nothing; one repeat after 1 s.
// - 'checkin': the server records one check-in per trainee and session and answers a repeat
//   with 200 and the first time, so repeats cannot check anyone in twice; short timeouts and a
//   backoff keep the whole attempt inside the code's life (config.checkin).
// - 'repeat' (survey submits): the server keeps one response per trainee and class and refuses
//   a second with 409 already_submitted; the caller reads `retried` on that refusal.
// - 'once' (every other write): never repeated.
// Offline, a try is not sent at all: the helper waits for the network (network.pause) instead.

const config = require('../config.js')
const { NETWORK_MESSAGES } = require('./messages.js')
const network = require('./network.js')

const TRAINEE_TOKEN = 'yanxiu.token'
const STAFF_TOKEN = 'yanxiu.staffToken'
const STAFF_ROLE = 'yanxiu.staffRole'

class ApiError extends Error {
  constructor({ status = 0, code, message, fields = null, network: failed = false }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.network = failed
    this.retried = false
  }
}

// No answer of the server arrived: offline, timeout or another transport failure.
function networkError(kind) {
  return new ApiError({ code: kind, message: NETWORK_MESSAGES[kind], network: true })
}

function policyOf(retry, method) {
  const name = retry || (method === 'GET' ? 'read' : 'once')
  if (name === 'checkin') return { timeout: config.checkin.timeout, backoff: config.checkin.backoff }
  if (name === 'once') return { timeout: config.requestTimeout, backoff: [] }
  return { timeout: config.requestTimeout, backoff: [1000] }
}

// wx.request as a promise: resolves with every HTTP answer, rejects with an ApiError when none came.
function send({ method, path, data, token, timeout }) {
  const header = { 'content-type': 'application/json' }
  if (token) header.Authorization = `Bearer ${token}`
  if (!network.current().online) return Promise.reject(networkError('offline'))
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      dataType: 'json',
      timeout,
      success: resolve,
      fail: (failure) => reject(networkError(/timeout/.test((failure && failure.errMsg) || '') ? 'timeout' : 'network'))
    })
  })
}

// The JSON error a download received, read from the file WeChat saved it in (null if none).
function savedJson(filePath) {
  try {
    return JSON.parse(String(wx.getFileSystemManager().readFileSync(filePath, 'utf8')))
  } catch (ignored) {
    return null
  }
}

// wx.downloadFile as a promise, answering like send(): `data` is the saved file's path on a
// 200, the server's JSON error otherwise; rejects with an ApiError when no answer came.
function fetchFile({ path, token, timeout }) {
  const header = token ? { Authorization: `Bearer ${token}` } : {}
  if (!network.current().online) return Promise.reject(networkError('offline'))
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url: config.apiBase + path,
      header,
      timeout,
      success: (result) =>
        resolve({ statusCode: result.statusCode, data: result.statusCode === 200 ? result.tempFilePath : savedJson(result.tempFilePath) }),
      fail: (failure) => reject(networkError(/timeout/.test((failure && failure.errMsg) || '') ? 'timeout' : 'network'))
    })
  })
}

// An HTTP error answer: the server's JSON error, or a gateway's page without one.
function errorFrom(response) {
  const body = response.data && typeof response.data === 'object' ? response.data : null
  if (!body || !body.error) return new ApiError({ status: response.statusCode, code: 'server', message: NETWORK_MESSAGES.server })
  return new ApiError({
    status: response.statusCode,
    code: body.error,
    message: body.message || NETWORK_MESSAGES.server,
    fields: body.fields || null
  })
}

// ---- trainee log-in: wx.login → POST /auth/wechat ----

let pendingLogin = null

function wxLogin() {
  if (config.devLogin) return Promise.resolve(`dev:${config.devLogin}`)
  return new Promise((resolve, reject) => {
    wx.login({
      success: (result) => (result.code ? resolve(result.code) : reject(result)),
      fail: reject
    })
  }).catch(() => {
    throw new ApiError({ code: 'wechat_login_failed', message: NETWORK_MESSAGES.wechat_login_failed })
  })
}

async function loginOnce() {
  const code = await wxLogin()
  const response = await send({ method: 'POST', path: '/auth/wechat', data: { code }, token: null, timeout: config.requestTimeout })
  if (response.statusCode !== 200) throw errorFrom(response)
  wx.setStorageSync(TRAINEE_TOKEN, response.data.token)
  return response.data
}

// Log in as a trainee (a fresh wx.login code each time). Concurrent callers share one log-in.
function loginTrainee() {
  if (!pendingLogin) {
    pendingLogin = loginOnce().finally(() => {
      pendingLogin = null
    })
  }
  return pendingLogin
}

// The stored trainee token, logging in first when there is none.
async function traineeToken() {
  const token = wx.getStorageSync(TRAINEE_TOKEN)
  if (token) return token
  await loginTrainee()
  return wx.getStorageSync(TRAINEE_TOKEN)
}

// ---- staff (lecturer) log-in: POST /auth/login ----

function staffToken() {
  return wx.getStorageSync(STAFF_TOKEN) || ''
}

function saveStaff(token, role) {
  wx.setStorageSync(STAFF_TOKEN, token)
  wx.setStorageSync(STAFF_ROLE, role)
}

function clearStaff() {
  wx.removeStorageSync(STAFF_TOKEN)
  wx.removeStorageSync(STAFF_ROLE)
}

// ---- requests ----

// One HTTP answer, repeating the call as the policy allows while no answer arrives.
async function answerOf({ method, path, data, token, policy, transport }) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await transport({ method, path, data, token, timeout: policy.timeout })
      return { response, retried: attempt > 0 }
    } catch (error) {
      if (!error.network || attempt >= policy.backoff.length) {
        error.retried = attempt > 0
        throw error
      }
      await network.pause(policy.backoff[attempt])
    }
  }
}

// auth: 'trainee' (default; logs in when needed), 'staff' (the lecturer's token) or 'none'.
// file: a GET whose answer is saved as a file (wx.downloadFile); `data` is then its path.
async function request({ method = 'GET', path, data = undefined, auth = 'trainee', retry = undefined, file = false }) {
  const policy = policyOf(retry, method)
  const transport = file ? fetchFile : send
  let relogged = false
  for (;;) {
    let token = null
    if (auth === 'trainee') token = await traineeToken()
    else if (auth === 'staff') token = staffToken()
    const { response, retried } = await answerOf({ method, path, data, token, policy, transport })
    if (response.statusCode === 401 && auth === 'trainee' && !relogged) {
      // The token expired or was revoked: log in again and repeat the call once.
      relogged = true
      wx.removeStorageSync(TRAINEE_TOKEN)
      await loginTrainee()
      continue
    }
    if (response.statusCode === 401 && auth === 'staff') clearStaff()
    if (response.statusCode >= 400) {
      const error = errorFrom(response)
      error.retried = retried // the answer to a repeat: the first attempt may have arrived
      throw error
    }
    return { status: response.statusCode, data: response.data, retried }
  }
}

async function get(path, options = {}) {
  return (await request({ ...options, method: 'GET', path })).data
}

// A file (a certificate's PDF) saved on the phone: resolves with its local path.
async function download(path, options = {}) {
  return (await request({ ...options, method: 'GET', path, file: true })).data
}

async function post(path, data, options = {}) {
  return (await request({ ...options, method: 'POST', path, data })).data
}

module.exports = {
  ApiError,
  request,
  get,
  post,
  download,
  loginTrainee,
  traineeToken,
  staffToken,
  saveStaff,
  clearStaff
}
