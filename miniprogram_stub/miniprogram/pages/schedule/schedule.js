// One class's schedule with my own check-ins marked (from GET /me/classes, which carries them).
const api = require('../../utils/api.js')
const labelsOf = require('../../utils/labels.js')
const kit = require('../../utils/page.js')
const schedule = require('../../utils/schedule.js')

Component({
  data: {
    ...kit.DATA,
    classId: 0,
    cls: null,
    days: []
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onLoad(options) {
      this.setData({ classId: Number(options.class_id) })
    },

    onShow() {
      return this.load()
    },

    load() {
      return kit.run(
        this,
        async () => {
          const [classes, labels] = await Promise.all([api.get('/me/classes'), labelsOf.load()])
          const cls = classes.find((c) => c.id === this.data.classId)
          if (!cls) {
            // The server lists only my own classes: this one is not among them.
            this.setData({ cls: null, days: [], notice: kit.notice('您不在这个研修班的名单中', '', ['toBind']) })
            return
          }
          this.setData({ cls: schedule.classView(cls), days: schedule.scheduleDays(cls.sessions, Date.now(), labels) })
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取课程安排' }
      )
    },

    scan() {
      wx.navigateTo({ url: `/pages/checkin/checkin?action=scan&class_id=${this.data.classId}` })
    },

    typeCode(event) {
      wx.navigateTo({ url: `/pages/checkin/checkin?session_id=${event.currentTarget.dataset.id}` })
    },

    openSurvey() {
      wx.navigateTo({ url: `/pages/survey/survey?class_id=${this.data.classId}` })
    },

    openRequests() {
      wx.navigateTo({ url: `/pages/requests/requests?class_id=${this.data.classId}` })
    },

    toBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
    }
  }
})
