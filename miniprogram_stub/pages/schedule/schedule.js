// One class's schedule with my own check-ins marked (from GET /me/classes, which carries them).
const api = require('../../utils/api.js')
const schedule = require('../../utils/schedule.js')

Page({
  data: {
    state: 'loading', // loading | ready | error
    classId: 0,
    cls: null,
    days: [],
    message: ''
  },

  onLoad(options) {
    this.setData({ classId: Number(options.class_id) })
  },

  onShow() {
    return this.load()
  },

  async onPullDownRefresh() {
    await this.load()
    wx.stopPullDownRefresh()
  },

  async load() {
    try {
      const classes = await api.get('/me/classes')
      const cls = classes.find((c) => c.id === this.data.classId)
      if (!cls) {
        this.setData({ state: 'error', message: '您不在这个研修班的名单中' })
        return
      }
      this.setData({
        state: 'ready',
        cls: schedule.classView(cls),
        days: schedule.scheduleDays(cls.sessions, Date.now()),
        message: ''
      })
    } catch (error) {
      this.setData({ state: 'error', message: api.showError(error) })
    }
  },

  scan() {
    wx.navigateTo({ url: `/pages/checkin/checkin?action=scan&class_id=${this.data.classId}` })
  },

  typeCode(event) {
    wx.navigateTo({ url: `/pages/checkin/checkin?session_id=${event.currentTarget.dataset.id}` })
  },

  openSurvey() {
    wx.navigateTo({ url: `/pages/survey/survey?class_id=${this.data.classId}` })
  }
})
