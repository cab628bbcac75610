// My classes (GET /me/classes): each with its dates, place and how many sessions I attended.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')
const schedule = require('../../utils/schedule.js')

Component({
  data: {
    ...kit.DATA,
    loaded: false,
    classes: []
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onShow() {
      return this.load()
    },

    load() {
      return kit.run(
        this,
        async () => {
          const classes = await api.get('/me/classes')
          this.setData({ loaded: true, classes: classes.map(schedule.classView) })
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取我的研修班' }
      )
    },

    openClass(event) {
      wx.navigateTo({ url: `/pages/schedule/schedule?class_id=${event.currentTarget.dataset.id}` })
    },

    scan() {
      wx.navigateTo({ url: '/pages/checkin/checkin?action=scan' })
    },

    toCertificates() {
      wx.navigateTo({ url: '/pages/certificates/certificates' })
    },

    toBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
    },

    toStaffLogin() {
      wx.navigateTo({ url: '/pages/staff-login/staff-login' })
    }
  }
})
