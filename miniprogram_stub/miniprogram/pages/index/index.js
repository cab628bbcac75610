// Launch page: log in (utils/api.js does it on the first call), then the trainee's classes,
// or the bind form when the trainee is on no class yet.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')

Component({
  data: { ...kit.DATA },

  methods: {
    ...kit.METHODS,

    onLoad() {
      return this.start()
    },

    start() {
      return kit.run(
        this,
        async () => {
          const classes = await api.get('/me/classes')
          wx.redirectTo({ url: classes.length ? '/pages/classes/classes' : '/pages/bind/bind' })
        },
        { busyText: '正在登录…', actions: ['retry'], title: '无法进入研修通' }
      )
    },

    retry() {
      return this.start()
    },

    toStaffLogin() {
      wx.navigateTo({ url: '/pages/staff-login/staff-login' })
    }
  }
})
