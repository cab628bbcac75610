// My classes (GET /me/classes): each with its dates, place and how many sessions I attended.
const api = require('../../utils/api.js')
const schedule = require('../../utils/schedule.js')

Page({
  data: {
    state: 'loading', // loading | ready | empty | error
    classes: [],
    message: ''
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
      this.setData({
        state: classes.length ? 'ready' : 'empty',
        classes: classes.map(schedule.classView),
        message: ''
      })
    } catch (error) {
      this.setData({ state: 'error', message: api.showError(error) })
    }
  },

  openClass(event) {
    wx.navigateTo({ url: `/pages/schedule/schedule?class_id=${event.currentTarget.dataset.id}` })
  },

  scan() {
    wx.navigateTo({ url: '/pages/checkin/checkin?action=scan' })
  },

  bindAnother() {
    wx.navigateTo({ url: '/pages/bind/bind' })
  },

  toStaffLogin() {
    wx.navigateTo({ url: '/pages/staff-login/staff-login' })
  }
})
