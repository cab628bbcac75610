// Check in to a session: scan the QR on the projector, open the page from the session's
// mini-program code (options.scene), or type the 6-digit code for a session.
//
// On a weak network the request helper repeats a check-in (utils/api.js, policy 'checkin').
// Whatever the last answer, a failure is checked against the trainee's own check-ins
// (GET /me/classes) before the page says it failed: an attempt whose answer was lost may
// have been recorded.
const api = require('../../utils/api.js')
const checkin = require('../../utils/checkin.js')
const format = require('../../utils/format.js')
const network = require('../../utils/network.js')
const kit = require('../../utils/page.js')
const schedule = require('../../utils/schedule.js')
const subscribe = require('../../utils/subscribe.js')

const NOT_OURS = '这不是研修班的签到码，请扫描现场大屏上的二维码'
const NO_CAMERA = '无法打开摄像头，请在微信的设置中允许使用相机，或输入大屏上的签到码'
// Each open page's way to stop following the network.
const stops = new WeakMap()

const UNCONFIRMED = '网络不稳定，暂时无法确认这次签到是否成功。网络恢复后会自动确认，也可以点“再次确认签到结果”。'

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

// { "<session_id>": checked_in_at } of the trainee's check-ins in GET /me/classes.
function checkinsOf(classes) {
  const found = {}
  classes.forEach((cls) =>
    cls.sessions.forEach((session) => {
      if (session.checkin) found[session.id] = session.checkin.checked_in_at
    })
  )
  return found
}

// After a check-in, the natural moment to offer the next sessions' and the survey's reminders.
const REMINDERS = ['session_start', 'survey']

// The notice for a recorded check-in: new (`fresh`), or the one recorded before; its state and
// mode in the server's words (`state_label`, `mode_label` of the check-in).
function resultNotice(record, topic, fresh) {
  const next = subscribe.offered(REMINDERS).length ? ['toSchedule', 'remind'] : ['toSchedule']
  const when = format.time(record.checked_in_at)
  const about = topic ? `${topic}　` : ''
  const online = record.mode === 'online' ? `（${record.mode_label}）` : ''
  const late = record.state_label
  if (!fresh) return kit.notice('您已签到', `${about}已于 ${when} 签到${online}，无需重复签到`, ['toSchedule'], 'already')
  if (record.late) return kit.notice(`签到成功（${late}）`, `${about}签到时间 ${when}${online}，已记为${late}`, next, 'late')
  return kit.notice('签到成功', `${about}签到时间 ${when}${online}`, next, 'ok')
}

// What to offer after a refusal the server's check-ins confirm.
function refusalNotice(error, typed) {
  let actions = typed ? ['rescan'] : ['rescan', 'typeCode']
  if (error.code === 'not_enrolled') actions = ['toBind']
  else if (error.code === 'checkin_closed' || error.code === 'class_not_approved') actions = ['toSchedule']
  return kit.errorNotice(error, actions, '签到未成功')
}

Component({
  data: {
    ...kit.DATA,
    candidates: [], // sessions a typed code may be for: { id, classId, topic, label }
    candidateIndex: 0,
    checked: {}, // session id → checked_in_at of my check-ins, as last read
    code: '',
    codeError: '',
    codeFocus: false,
    pending: null // the body of the last check-in that could not be confirmed
  },

  methods: {
    ...kit.METHODS,

    onLoad(options) {
      const opts = options || {}
      subscribe.prepare()
      // A check-in left unconfirmed is confirmed as soon as the network is back.
      stops.set(
        this,
        network.subscribe((state) => {
          if (state.online && this.data.pending && !this.data.busy) this.confirmAgain()
        })
      )
      // The list names the session of a result and lets a typed code pick its session;
      // a scan does not wait for it.
      const tasks = [this.loadCandidates(Number(opts.session_id) || 0)]
      if (opts.scene) tasks.push(this.submit(checkin.bodyFromScene(decodeURIComponent(opts.scene))))
      else if (opts.action === 'scan') tasks.push(this.scan())
      return Promise.all(tasks)
    },

    onUnload() {
      const stop = stops.get(this)
      if (stop) stop()
      stops.delete(this)
    },

    async loadCandidates(sessionId) {
      try {
        this.showClasses(await api.get('/me/classes'), sessionId)
      } catch (error) {
        // The scan still works without the list; the typed code says what is missing.
      }
    },

    showClasses(classes, sessionId) {
      const candidates = schedule.codeCandidates(classes, Date.now(), sessionId)
      const wanted = sessionId || (this.data.candidates[this.data.candidateIndex] || {}).id
      const index = Math.max(0, candidates.findIndex((c) => c.id === wanted))
      this.setData({ candidates, candidateIndex: index, checked: checkinsOf(classes) })
    },

    scan() {
      return kit.run(
        this,
        async () => {
          let scanned
          try {
            scanned = await scanCode()
          } catch (failure) {
            if (/cancel/.test((failure && failure.errMsg) || '')) return null
            this.setData({ notice: kit.notice('无法扫码', NO_CAMERA, ['typeCode']) })
            return null
          }
          const checkout = checkin.checkoutFromScan(scanned)
          return checkout ? this.checkOut(checkout) : this.checkIn(checkin.bodyFromScan(scanned))
        },
        { busyText: '正在打开摄像头…' }
      )
    },

    rescan() {
      return this.scan()
    },

    typeCode() {
      this.setData({ codeFocus: true })
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

    // Send a check-in as the page's one action in flight.
    submit(body) {
      return kit.run(this, () => this.checkIn(body))
    },

    async checkIn(body) {
      if (!body) {
        this.setData({ notice: kit.notice('签到未成功', NOT_OURS, ['rescan', 'typeCode']) })
        return null
      }
      this.setData({ busyText: '正在签到…', pending: null })
      let shown
      try {
        const answer = await api.request({ method: 'POST', path: '/checkins', data: body, retry: 'checkin' })
        const record = answer.data
        // 201 is a new check-in; 200 repeats the first one, except after a retry: then our
        // own first attempt got through unseen.
        shown = resultNotice(record, this.topicOf(record.session_id), answer.status === 201 || answer.retried)
        this.setData({ notice: shown, code: '', [`checked.${record.session_id}`]: record.checked_in_at })
      } catch (error) {
        shown = await this.confirm(error, body)
        this.setData({ notice: shown })
      }
      return shown
    },

    // 签退: one request; a repeated scan answers the first check-out.
    async checkOut(body) {
      this.setData({ busyText: '正在签退…' })
      let shown
      try {
        const record = await api.post('/checkouts', body)
        const when = format.time(record.checked_out_at)
        const about = this.topicOf(record.session_id)
        shown = kit.notice('签退成功', `${about ? `${about}　` : ''}签退时间 ${when}`, ['toSchedule'], 'ok')
      } catch (error) {
        shown = kit.errorNotice(error, ['rescan'], '签退未成功')
      }
      this.setData({ notice: shown })
      return shown
    },

    // After a failure: is the check-in among mine after all? Only the truth is shown.
    async confirm(error, body) {
      this.setData({ busyText: '正在核对签到结果…' })
      const before = this.data.checked
      let classes
      try {
        classes = await api.get('/me/classes')
      } catch (readError) {
        this.setData({ pending: body })
        return kit.notice('未能确认签到结果', UNCONFIRMED, ['confirmAgain', 'rescan'], 'info')
      }
      this.showClasses(classes, 0)
      const found = this.recorded(classes, body)
      if (found) return resultNotice(found.checkin, found.topic, !before[found.id])
      return refusalNotice(error, 'code' in body)
    },

    // Re-read my check-ins for a check-in that could not be confirmed.
    confirmAgain() {
      const body = this.data.pending
      if (!body) return Promise.resolve(null)
      return kit.run(this, async () => {
        const shown = await this.confirm({ code: 'network', message: UNCONFIRMED, network: true }, body)
        this.setData({ notice: shown })
        return shown
      })
    },

    // My check-in that this body may have made: the typed code's session, else a session
    // whose check-in window is open now.
    recorded(classes, body) {
      const now = Date.now()
      for (const cls of classes) {
        for (const session of cls.sessions) {
          const mine = body.session_id ? session.id === body.session_id : schedule.isOpen(session, now)
          if (mine && session.checkin) return { id: session.id, topic: session.topic, checkin: session.checkin }
        }
      }
      return null
    },

    topicOf(sessionId) {
      const known = this.data.candidates.find((c) => c.id === sessionId)
      return known ? known.topic : ''
    },

    toBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
    },

    // The notice's 接收开课和测评提醒 (a tap: WeChat's prompt may show).
    async remind() {
      const accepted = await subscribe.ask(REMINDERS)
      if (Object.keys(accepted).length) wx.showToast({ title: '已开启提醒', icon: 'success' })
      return accepted
    },

    toSchedule() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/classes/classes' }) })
    }
  }
})
