// 我的报名 (GET /me/applications): each with its status and the organizer's reason; a live one
// can be withdrawn (DELETE /me/applications/{id}).
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')
const labels = require('../../utils/labels.js')

function view(application, statuses) {
  return {
    ...application,
    statusText: statuses[application.status] || application.status,
    canWithdraw: application.status !== 'withdrawn'
  }
}

Component({
  data: { ...kit.DATA, loaded: false, applications: [] },

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
          const applications = await api.get('/me/applications')
          const statuses = (await labels.load()).application_status
          this.setData({ loaded: true, applications: applications.map((a) => view(a, statuses)) })
          return true
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取我的报名' }
      )
    },

    async withdraw(event) {
      const id = event.currentTarget.dataset.id
      const done = await kit.run(this, () => api.request({ method: 'DELETE', path: `/me/applications/${id}` }), {
        busyText: '正在撤回…',
        title: '撤回未成功'
      })
      if (!done) return false
      wx.showToast({ title: '已撤回', icon: 'success' })
      return this.load()
    },

    toClasses() {
      wx.reLaunch({ url: '/pages/classes/classes' })
    }
  }
})
