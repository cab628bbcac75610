// 请假 and 补签: pick sessions of one's class not attended and ask for leave with a reason,
// or ask to be marked present (补签) for a started session one missed. The organizer decides
// on the class page; each session shows the state of what was asked.
const api = require('../../utils/api.js')
const format = require('../../utils/format.js')
const kit = require('../../utils/page.js')
const labels = require('../../utils/labels.js')

const KIND_WORDS = { leave: '请假', checkin: '补签' }

// Each session's latest request, as { "<session id>": { kind, status } }.
function requestsBySession(leaves, checkins) {
  const asked = {}
  // Newest first from the server: the first one seen for a session is its latest.
  leaves.forEach((r) => r.session_ids.forEach((id) => {
    if (!asked[id]) asked[id] = { kind: 'leave', status: r.status }
  }))
  checkins.forEach((r) => {
    if (!asked[r.session_id]) asked[r.session_id] = { kind: 'checkin', status: r.status }
  })
  return asked
}

function sessionView(session, asked, statuses, picked, now) {
  const attended = Boolean(session.checkin)
  const started = Date.parse(session.starts_at) <= now
  const request = asked[session.id]
  return {
    id: session.id,
    topic: session.topic,
    when: format.dayTime(session.starts_at),
    attended,
    asked: request ? `${KIND_WORDS[request.kind]}${statuses[request.status]}` : '',
    picked: Boolean(picked[session.id]),
    canLeave: !attended && !(request && request.status !== 'rejected'),
    canCheckin: !attended && started && !(request && request.kind === 'checkin' && request.status === 'pending')
  }
}

Component({
  data: {
    ...kit.DATA,
    loaded: false,
    wantedId: null, // the class the page was opened for (?class_id=)
    classId: null,
    title: '',
    read: [], // the class's sessions as GET /me/classes gave them
    asked: {}, // session id → its latest request (requestsBySession)
    statuses: {}, // the server's words for a request's status
    sessions: [],
    picked: {},
    reason: ''
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onLoad(options) {
      this.setData({ wantedId: Number((options || {}).class_id) || null })
      return this.load()
    },

    load() {
      return kit.run(
        this,
        async () => {
          const [classes, leaves, checkins] = await Promise.all([
            api.get('/me/classes'),
            api.get('/me/leave-requests'),
            api.get('/me/checkin-requests')
          ])
          const cls = classes.find((c) => c.id === this.data.wantedId) || classes[0]
          if (!cls) {
            this.setData({ loaded: true, sessions: [] })
            return
          }
          const asked = requestsBySession(leaves.filter((r) => r.class_id === cls.id), checkins.filter((r) => r.class_id === cls.id))
          const statuses = (await labels.load()).request_status
          this.setData({ loaded: true, classId: cls.id, title: cls.title, read: cls.sessions, asked, statuses, picked: {} })
          this.show()
        },
        { busyText: '加载中…', title: '未能读取课程', actions: ['retry'] }
      )
    },

    show() {
      const now = Date.now()
      this.setData({ sessions: this.data.read.map((s) => sessionView(s, this.data.asked, this.data.statuses, this.data.picked, now)) })
    },

    onReason(event) {
      this.setData({ reason: event.detail.value })
    },

    toggle(event) {
      const id = Number(event.currentTarget.dataset.id)
      const session = this.data.sessions.find((s) => s.id === id)
      if (!session || !session.canLeave) return
      this.setData({ picked: { ...this.data.picked, [id]: !this.data.picked[id] } })
      this.show()
    },

    askLeave() {
      const ids = Object.keys(this.data.picked).filter((id) => this.data.picked[id]).map(Number)
      if (!ids.length) {
        this.setData({ notice: kit.notice('请先选择课程', '点选要请假的课程，再提交') })
        return null
      }
      return this.send('/me/leave-requests', { class_id: this.data.classId, session_ids: ids, reason: this.data.reason }, '请假申请已提交')
    },

    askCheckin(event) {
      const id = Number(event.currentTarget.dataset.id)
      return this.send('/me/checkin-requests', { session_id: id, reason: this.data.reason }, '补签申请已提交')
    },

    async send(path, body, done) {
      const sent = await kit.run(this, () => api.post(path, body), { busyText: '正在提交…', title: '申请未提交' })
      if (!sent) return
      await this.load()
      this.setData({ reason: '', notice: kit.notice(done, '组织方审批后，结果会显示在这里', [], 'ok') })
    }
  }
})
