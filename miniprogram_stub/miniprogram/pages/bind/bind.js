// Bind this WeChat user to the roster. First way: WeChat's phone-number quick check (the
// button's code goes to the server, which asks WeChat for the number: POST /me/enrollments
// {phone_code}). Fallback: name and phone typed as the organizer entered them. Either may
// carry the class number when known; without it every class listing the trainee is bound.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')

const NO_PHONE = '您没有同意使用微信绑定的手机号。也可以手工填写报名时登记的姓名和手机号。'

Component({
  data: {
    ...kit.DATA,
    form: { class_id: '', name: '', phone: '' },
    errors: {},
    typing: false // the typed form shows: the trainee chose it, or declined the quick check
  },

  methods: {
    ...kit.METHODS,

    onLoad(options) {
      const classId = options && (options.class_id || (options.scene && decodeURIComponent(options.scene)))
      if (classId && /^\d+$/.test(classId)) this.setData({ 'form.class_id': classId })
    },

    input(event) {
      const field = event.currentTarget.dataset.field
      this.setData({ [`form.${field}`]: event.detail.value, [`errors.${field}`]: '' })
    },

    showForm() {
      this.setData({ typing: true })
    },

    // <button open-type="getPhoneNumber">: WeChat hands over a one-time code, or nothing when
    // the trainee declines.
    bindByPhone(event) {
      const code = event.detail && event.detail.code
      if (!code) {
        this.setData({ typing: true, notice: kit.notice('未获取手机号', NO_PHONE, ['showForm'], 'info') })
        return Promise.resolve(false)
      }
      const body = { phone_code: code }
      if (this.data.form.class_id) body.class_id = Number(this.data.form.class_id)
      return this.send(body, ['showForm'])
    },

    // The server checks the typed form and names each field it refuses (shown under it).
    submit() {
      const form = this.data.form
      const body = { name: form.name.trim(), phone: form.phone.replace(/[\s-]/g, '') }
      if (form.class_id) body.class_id = form.class_id
      return this.send(body, [])
    },

    async send(body, actions) {
      this.setData({ errors: {} })
      const done = await kit.run(
        this,
        async () => {
          await api.post('/me/enrollments', body)
          return true
        },
        {
          busyText: '正在绑定…',
          title: '绑定未成功',
          onError: (error) => {
            this.setData({ errors: kit.fieldErrors(error) })
            return kit.errorNotice(error, actions, '绑定未成功')
          }
        }
      )
      if (!done) return false
      wx.showToast({ title: '绑定成功', icon: 'success' })
      wx.reLaunch({ url: '/pages/classes/classes' })
      return true
    },

    toStaffLogin() {
      wx.navigateTo({ url: '/pages/staff-login/staff-login' })
    }
  }
})
