// Launch page: log in (utils/api.js does it on the first call), then the trainee's classes,
// or the bind form when the trainee is on no class yet.
const api = require('../../utils/api.js')

Page({
  data: {
    state: 'loading', // loading | error
    message: ''
  },

  onLoad() {
    return this.route()
  },

  async route() {
    this.setData({ state: 'loading', message: '' })
    try {
      const classes = await api.get('/me/classes')
      if (classes.length) wx.redirectTo({ url: '/pages/classes/classes' })
      else wx.redirectTo({ url: '/pages/bind/bind' })
    } catch (error) {
      this.setData({ state: 'error', message: api.showError(error) })
    }
  },

  retry() {
    return this.route()
  },

  toStaffLogin() {
    wx.navigateTo({ url: '/pages/staff-login/staff-login' })
  }
})
