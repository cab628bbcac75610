// The one wrapper over wx.request: base URL, bearer token, JSON, Chinese error messages,
// a new log-in on 401 and one retry after a network failure for calls safe to repeat.
//
//   const api = require('../../utils/api.js')
//   const classes = await api.get('/me/classes')
//   const answer = await api.request({ method: 'POST', path: '/checkins', data, retry: true })
//   // answer: { status, data, retried }
//
// Failures reject with an ApiError: { status, code, message (Chinese), fields, network }.
//
// Which calls are repeated after a network failure (the answer never arrived):
// - GETs, which change nothing;
// - check-ins: the server records one check-in per trainee and session, and answers a repeat
//   with 200 and the first time, so a retry cannot check anyone in twice;
// - survey submits: the server keeps one response per trainee and class and refuses a second
//   with 409 already_submitted, so a retry cannot store a second response. A retry that meets
//   already_submitted means the first attempt did arrive; the survey page shows its thank-you.
// Nothing else is repeated unless a caller asks with `retry: true`.

const config = require('../config.js')
const { messageFor } = require('./messages.js')

const TRAINEE_TOKEN = 'yanxiu.token'
const STAFF_TOKEN = 'yanxiu.staffToken'
const STAFF_ROLE = 'yanxiu.staffRole'

class ApiError extends Error {
  constructor({ status = 0, code, serverMessage = '', fields = null, network = false }) {
    super(code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.serverMessage = serverMessage
    this.fields = fields
    this.network = network
    this.retried = false
    this.message = messageFor(this)
  }
}

// wx.request as a promise: resolves with every HTTP answer, rejects only when none came.
function send({ method, path, data, token }) {
  const header = { 'content-type': 'application/json' }
  if (token) header.Authorization = `Bearer ${token}`
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      dataType: 'json',
      timeout: config.requestTimeout,
      success: resolve,
      fail: reject
    })
  })
}

function errorFrom(response) {
  const body = response.data && typeof response.data === 'object' ? response.data : {}
  return new ApiError({
    status: response.statusCode,
    code: body.error || `http_${response.statusCode}`,
    serverMessage: body.message || '',
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
  })
}

async function loginOnce() {
  let code
  try {
    code = await wxLogin()
  } catch (failure) {
    throw new ApiError({ code: 'wechat_login_failed', serverMessage: failure && failure.errMsg })
  }
  let response
  try {
    response = await send({ method: 'POST', path: '/auth/wechat', data: { code } })
  } catch (failure) {
    throw new ApiError({ code: 'network', network: true, serverMessage: failure && failure.errMsg })
  }
  if (response.statusCode !== 200) throw errorFrom(response)
  wx.setStorageSync(TRAINEE_TOKEN, response.data.token)
  return response.data
}

// Log in as a trainee (a fresh wx.login code each time). Concurrent callers share one log-in.
function loginTrainee() {
  if (!pendingLogin) {
    const done = () => {
      pendingLogin = null
    }
    pendingLogin = loginOnce().then(
      (result) => {
        done()
        return result
      },
      (error) => {
        done()
        throw error
      }
    )
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

// auth: 'trainee' (default; logs in when needed), 'staff' (the lecturer's token) or 'none'.
async function request({ method = 'GET', path, data, auth = 'trainee', retry }) {
  const repeatable = retry === undefined ? method === 'GET' : retry
  let retried = false
  let relogged = false
  for (;;) {
    let token = null
    if (auth === 'trainee') token = await traineeToken()
    else if (auth === 'staff') token = staffToken()
    let response
    try {
      response = await send({ method, path, data, token })
    } catch (failure) {
      if (repeatable && !retried) {
        retried = true
        continue
      }
      throw new ApiError({ code: 'network', network: true, serverMessage: failure && failure.errMsg })
    }
    if (response.statusCode === 401 && auth === 'trainee' && !relogged) {
      // The token expired or was revoked: log in again and repeat the call once.
      relogged = true
      wx.removeStorageSync(TRAINEE_TOKEN)
      await loginTrainee()
      continue
    }
    if (response.statusCode === 401 && auth === 'staff') {
      clearStaff()
      throw new ApiError({ status: 401, code: 'staff_unauthorized' })
    }
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

async function post(path, data, options = {}) {
  return (await request({ ...options, method: 'POST', path, data })).data
}

// A toast with the Chinese message of an error (or any text).
function showError(error) {
  const title = typeof error === 'string' ? error : messageFor(error)
  wx.showToast({ title, icon: 'none', duration: 3000 })
  return title
}

module.exports = {
  ApiError,
  request,
  get,
  post,
  loginTrainee,
  traineeToken,
  staffToken,
  saveStaff,
  clearStaff,
  showError
}
