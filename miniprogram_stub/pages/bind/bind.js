// Bind this WeChat user to the roster: name and phone as the organizer entered them, and the
// class number when known (POST /me/enrollments; without it every class listing them is bound).
const api = require('../../utils/api.js')

const PHONE = /^1[3-9]\d{9}$/

// Problems the trainee can fix before anything is sent, by field.
function checkForm(form) {
  const errors = {}
  if (form.class_id && !/^\d+$/.test(form.class_id)) errors.class_id = '班级编号应为数字（可不填）'
  if (!form.name.trim()) errors.name = '请填写姓名'
  const phone = form.phone.replace(/[\s-]/g, '')
  if (!PHONE.test(phone)) errors.phone = '请填写11位手机号'
  return errors
}

Page({
  data: {
    form: { class_id: '', name: '', phone: '' },
    errors: {},
    submitting: false
  },

  onLoad(options) {
    const classId = options && (options.class_id || (options.scene && decodeURIComponent(options.scene)))
    if (classId && /^\d+$/.test(classId)) this.setData({ 'form.class_id': classId })
  },

  input(event) {
    const field = event.currentTarget.dataset.field
    this.setData({ [`form.${field}`]: event.detail.value, [`errors.${field}`]: '' })
  },

  async submit() {
    if (this.data.submitting) return false
    const form = this.data.form
    const errors = checkForm(form)
    if (Object.keys(errors).length) {
      this.setData({ errors })
      api.showError('请检查标红的内容')
      return false
    }
    this.setData({ submitting: true, errors: {} })
    try {
      const body = { name: form.name.trim(), phone: form.phone.replace(/[\s-]/g, '') }
      if (form.class_id) body.class_id = Number(form.class_id)
      await api.post('/me/enrollments', body)
      wx.showToast({ title: '绑定成功', icon: 'success' })
      wx.reLaunch({ url: '/pages/classes/classes' })
      return true
    } catch (error) {
      const errors = {}
      Object.keys(error.fields || {}).forEach((field) => {
        errors[field] = [].concat(error.fields[field]).join('，')
      })
      this.setData({ errors })
      api.showError(error)
      return false
    } finally {
      this.setData({ submitting: false })
    }
  },

  toStaffLogin() {
    wx.navigateTo({ url: '/pages/staff-login/staff-login' })
  }
})
