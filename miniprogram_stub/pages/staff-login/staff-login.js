// Lecturers log in with the account the host unit made for them (POST /auth/login).
const api = require('../../utils/api.js')

Page({
  data: {
    username: '',
    password: '',
    errors: {},
    submitting: false
  },

  onLoad() {
    if (api.staffToken()) wx.redirectTo({ url: '/pages/ratings/ratings' })
  },

  input(event) {
    const field = event.currentTarget.dataset.field
    this.setData({ [field]: event.detail.value, [`errors.${field}`]: '' })
  },

  async submit() {
    if (this.data.submitting) return false
    const username = this.data.username.trim()
    const password = this.data.password
    const errors = {}
    if (!username) errors.username = '请填写用户名'
    if (!password) errors.password = '请填写密码'
    if (Object.keys(errors).length) {
      this.setData({ errors })
      return false
    }
    this.setData({ submitting: true })
    try {
      const answer = await api.post('/auth/login', { username, password }, { auth: 'none' })
      if (answer.role !== 'lecturer') {
        api.showError('此入口仅供授课专家使用，组织者请使用电脑端管理页面')
        return false
      }
      api.saveStaff(answer.token, answer.role)
      wx.redirectTo({ url: '/pages/ratings/ratings' })
      return true
    } catch (error) {
      api.showError(error)
      return false
    } finally {
      this.setData({ submitting: false, password: '' })
    }
  }
})
