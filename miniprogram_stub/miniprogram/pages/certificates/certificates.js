// My certificates (GET /me/certificates): each with its class, 学时 and issue date, a revoked
// one marked 已撤销. The PDF opens in WeChat's document viewer (where it can be saved or sent
// on); the verification link is copied for the employer, who opens it without logging in.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')
const format = require('../../utils/format.js')

function certificateView(certificate) {
  return {
    number: certificate.number,
    title: certificate.title,
    hours: certificate.credit_hours,
    issued: format.fullDay(certificate.issued_at),
    revoked: certificate.revoked,
    verifyUrl: certificate.verify_url
  }
}

function openDocument(filePath) {
  return new Promise((resolve, reject) => {
    wx.openDocument({ filePath, fileType: 'pdf', showMenu: true, success: resolve, fail: reject })
  })
}

Component({
  data: {
    ...kit.DATA,
    loaded: false,
    certificates: []
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
          const certificates = await api.get('/me/certificates')
          this.setData({ loaded: true, certificates: certificates.map(certificateView) })
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取我的证书' }
      )
    },

    openPdf(event) {
      const { number } = event.currentTarget.dataset
      return kit.run(
        this,
        async () => {
          const filePath = await api.download(`/certificates/${number}.pdf`)
          await openDocument(filePath)
        },
        { busyText: '正在打开证书…', title: '未能打开证书' }
      )
    },

    copyLink(event) {
      const { url } = event.currentTarget.dataset
      wx.setClipboardData({
        data: url,
        success: () =>
          this.setData({ notice: kit.notice('核验链接已复制', '发给您的单位，对方用浏览器打开即可核验证书真伪，无需登录。', [], 'ok') })
      })
    }
  }
})
