// Check in to a session: scan the QR on the projector, open the page from the session's
// mini-program code (options.scene), or type the 6-digit code for a session.
const api = require('../../utils/api.js')
const checkin = require('../../utils/checkin.js')
const format = require('../../utils/format.js')
const { ERROR_MESSAGES } = require('../../utils/messages.js')
const schedule = require('../../utils/schedule.js')

const NOT_OURS = '这不是研修班的签到码，请扫描现场大屏上的二维码'

function scanCode() {
  return new Promise((resolve, reject) => {
    wx.scanCode({
      onlyFromCamera: true, // a forwarded screenshot cannot be picked from the album
      scanType: ['qrCode', 'wxCode'],
      success: resolve,
      fail: reject
    })
  })
}

// What to tell the trainee about a refused check-in; a typed code is not a QR code.
function refusal(error, typed) {
  if (typed && error.code === 'invalid_token') return ERROR_MESSAGES.invalid_code
  if (typed && error.code === 'token_expired') return ERROR_MESSAGES.code_expired
  return error.message
}

// The result card for an answer of POST /checkins. 201 is a new check-in; 200 repeats the
// first one, except after a retry: then our own first attempt got through unseen.
function resultOf(answer, topic) {
  const record = answer.data
  const when = format.time(record.checked_in_at)
  const about = topic ? `${topic}　` : ''
  const online = record.mode === 'online' ? '（线上）' : ''
  if (answer.status === 201 || answer.retried) {
    return record.late
      ? { kind: 'late', title: '签到成功（迟到）', detail: `${about}签到时间 ${when}${online}，已记为迟到` }
      : { kind: 'ok', title: '签到成功', detail: `${about}签到时间 ${when}${online}` }
  }
  return { kind: 'already', title: '您已签到', detail: `${about}已于 ${when} 签到${online}，无需重复签到` }
}

Page({
  data: {
    state: 'idle', // idle | working | done
    result: null, // { kind: ok | late | already | error, title, detail }
    candidates: [], // sessions a typed code may be for: { id, classId, topic, label }
    candidateIndex: 0,
    code: '',
    codeError: ''
  },

  onLoad(options) {
    const opts = options || {}
    // The list also names the session of a result; a scan does not wait for it to be sent.
    this.candidatesLoaded = this.loadCandidates(Number(opts.session_id) || 0)
    const tasks = [this.candidatesLoaded]
    if (opts.scene) {
      // Opened from the session's mini-program code (wxacode.getUnlimited).
      tasks.push(this.submit(checkin.bodyFromScene(decodeURIComponent(opts.scene))))
    } else if (opts.action === 'scan') {
      tasks.push(this.scan())
    }
    return Promise.all(tasks)
  },

  async loadCandidates(sessionId) {
    try {
      const classes = await api.get('/me/classes')
      const candidates = schedule.codeCandidates(classes, Date.now(), sessionId)
      const index = Math.max(0, candidates.findIndex((c) => c.id === sessionId))
      this.setData({ candidates, candidateIndex: index })
    } catch (error) {
      // The scan still works without the list; the typed code says what is missing.
      this.setData({ candidates: [] })
    }
  },

  async scan() {
    let scanned
    try {
      scanned = await scanCode()
    } catch (failure) {
      if (!/cancel/.test((failure && failure.errMsg) || '')) api.showError('无法打开摄像头，请检查微信的相机权限')
      return null
    }
    return this.submit(checkin.bodyFromScan(scanned))
  },

  codeInput(event) {
    this.setData({ code: event.detail.value, codeError: '' })
  },

  pickSession(event) {
    this.setData({ candidateIndex: Number(event.detail.value) })
  },

  submitCode() {
    const code = String(this.data.code).trim()
    const session = this.data.candidates[this.data.candidateIndex]
    let problem = ''
    if (!/^\d{6}$/.test(code)) problem = '请输入大屏上的6位数字签到码'
    else if (!session) problem = '现在没有可签到的课程'
    if (problem) {
      this.setData({ codeError: problem })
      return Promise.resolve(null)
    }
    return this.submit(checkin.bodyFromTypedCode(code, session.id))
  },

  async submit(body) {
    if (!body) {
      api.showError(NOT_OURS)
      this.setData({ state: 'done', result: { kind: 'error', title: '签到未成功', detail: NOT_OURS } })
      return this.data.result
    }
    this.setData({ state: 'working', result: null })
    let result
    try {
      const answer = await api.request({ method: 'POST', path: '/checkins', data: body, retry: true })
      await this.candidatesLoaded
      result = resultOf(answer, this.topicOf(answer.data.session_id))
      wx.showToast({ title: result.kind === 'already' ? '已签到' : '签到成功', icon: 'success' })
    } catch (error) {
      result = { kind: 'error', title: '签到未成功', detail: api.showError(refusal(error, 'code' in body)) }
    }
    this.setData({ state: 'done', result, code: '' })
    return result
  },

  topicOf(sessionId) {
    const known = this.data.candidates.find((c) => c.id === sessionId)
    return known ? known.topic : ''
  },

  toSchedule() {
    wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/classes/classes' }) })
  }
})
