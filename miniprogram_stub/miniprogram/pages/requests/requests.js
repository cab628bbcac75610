// 请假 and 补签: pick sessions of one's class not attended and ask for leave with a reason,
// or ask to be marked present (补签) for a started session one missed. The organizer decides
// on the class page; each session shows the state of what was asked.
const api = require('../../utils/api.js')
const format = require('../../utils/format.js')
const kit = require('../../utils/page.js')

const STATUS = { pending: '待审批', approved: '已批准', rejected: '已驳回' }

// Each session's latest request of each kind, as text: { "<session id>": '请假已批准' }.
function requestTexts(leaves, checkins) {
  const texts = {}
  // Newest first from the server: the first one seen for a session is its latest.
  leaves.forEach((r) => r.session_ids.forEach((id) => {
    if (!texts[id]) texts[id] = `请假${STATUS[r.status]}`
  }))
  checkins.forEach((r) => {
    if (!texts[r.session_id]) texts[r.session_id] = `补签${STATUS[r.status]}`
  })
  return texts
}

function sessionView(session, texts, picked, now) {
  const attended = Boolean(session.checkin)
  const started = Date.parse(session.starts_at) <= now
  const asked = texts[session.id] || ''
  return {
    id: session.id,
    topic: session.topic,
    when: format.dayTime(session.starts_at),
    attended,
    asked,
    picked: Boolean(picked[session.id]),
    canLeave: !attended && !/待审批|已批准/.test(asked),
    canCheckin: !attended && started && !/补签待审批/.test(asked)
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
    texts: {}, // session id → what was asked for it (requestTexts)
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
          const texts = requestTexts(leaves.filter((r) => r.class_id === cls.id), checkins.filter((r) => r.class_id === cls.id))
          this.setData({ loaded: true, classId: cls.id, title: cls.title, read: cls.sessions, texts, picked: {} })
          this.show()
        },
        { busyText: '加载中…', title: '未能读取课程', actions: ['retry'] }
      )
    },

    show() {
      const now = Date.now()
      this.setData({ sessions: this.data.read.map((s) => sessionView(s, this.data.texts, this.data.picked, now)) })
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
