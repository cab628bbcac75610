// Lecturers log in with the account the host unit made for them (POST /auth/login).
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')

const NOT_LECTURER = '此入口仅供授课专家使用，组织者请使用电脑端管理页面'

Component({
  data: {
    ...kit.DATA,
    username: '',
    password: '',
    errors: {}
  },

  methods: {
    ...kit.METHODS,

    onLoad() {
      if (api.staffToken()) wx.redirectTo({ url: '/pages/ratings/ratings' })
    },

    input(event) {
      const field = event.currentTarget.dataset.field
      this.setData({ [field]: event.detail.value, [`errors.${field}`]: '' })
    },

    async submit() {
      const username = this.data.username.trim()
      const password = this.data.password
      // The server checks the form and names each field it refuses (shown under it).
      this.setData({ errors: {} })
      const answer = await kit.run(this, () => api.post('/auth/login', { username, password }, { auth: 'none' }), {
        busyText: '正在登录…',
        title: '登录未成功',
        onError: (error) => {
          this.setData({ errors: kit.fieldErrors(error) })
          return undefined
        }
      })
      this.setData({ password: '' })
      if (!answer) return false
      if (answer.role !== 'lecturer') {
        this.setData({ notice: kit.notice('登录未成功', NOT_LECTURER) })
        return false
      }
      api.saveStaff(answer.token, answer.role)
      wx.redirectTo({ url: '/pages/ratings/ratings' })
      return true
    }
  }
})
