// 报名: the class's recruitment (GET /classes/{id}/recruitment) and the application form
// (POST /classes/{id}/applications). The class comes from the mini-program code's scene
// ("c=<id>") or from ?class_id=. An application outside the notice's audience is accepted
// with the server's note, shown as is.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')
const labels = require('../../utils/labels.js')
const subscribe = require('../../utils/subscribe.js')

const PHONE = /^1[3-9]\d{9}$/
const REGIONS = [
  '武汉市', '黄石市', '十堰市', '宜昌市', '襄阳市', '鄂州市', '荆门市', '孝感市', '荆州市',
  '黄冈市', '咸宁市', '随州市', '恩施土家族苗族自治州', '仙桃市', '潜江市', '天门市', '神农架林区'
]
const GENDERS = ['', '男', '女']

// The class number of the page's options: ?class_id=12, or the code's scene "c=12".
function classIdOf(options) {
  if (!options) return ''
  if (options.class_id && /^\d+$/.test(options.class_id)) return options.class_id
  const scene = options.scene ? decodeURIComponent(options.scene) : ''
  const match = /^c=(\d+)$/.exec(scene)
  return match ? match[1] : ''
}

// Problems the applicant can fix before anything is sent, by field.
function checkForm(form) {
  const errors = {}
  if (!form.name.trim()) errors.name = '请填写姓名'
  if (!PHONE.test(form.phone.replace(/[\s-]/g, ''))) errors.phone = '请填写11位手机号'
  if (!form.employer.trim()) errors.employer = '请填写工作单位'
  if (form.levelIndex < 0) errors.title_level = '请选择职称级别'
  if (form.regionIndex < 0) errors.region = '请选择所在市州'
  return errors
}

function fieldErrors(error) {
  const errors = {}
  Object.keys((error && error.fields) || {}).forEach((field) => {
    errors[field] = [].concat(error.fields[field]).join('，')
  })
  return errors
}

function bodyOf(form, hybrid, levelValues) {
  return {
    name: form.name.trim(),
    phone: form.phone.replace(/[\s-]/g, ''),
    gender: GENDERS[form.genderIndex] || '',
    employer: form.employer.trim(),
    post: form.post.trim(),
    professional_title: form.professional_title.trim(),
    title_level: levelValues[form.levelIndex],
    management_post: form.management_post,
    region: REGIONS[form.regionIndex],
    county: form.county.trim(),
    grassroots: form.grassroots,
    poor_area: form.poor_area,
    attendance_mode: hybrid && form.online ? 'online' : 'onsite'
  }
}

Component({
  data: {
    ...kit.DATA,
    classId: '',
    recruitment: null,
    regions: REGIONS,
    levels: [],
    levelValues: [],
    genders: ['不填', '男', '女'],
    form: {
      name: '', phone: '', genderIndex: 0, employer: '', post: '', professional_title: '',
      levelIndex: -1, management_post: false, regionIndex: -1, county: '',
      grassroots: false, poor_area: false, online: false
    },
    errors: {},
    result: null,
    remindOffered: false
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onLoad(options) {
      this.setData({ classId: classIdOf(options) })
      subscribe.prepare()
      return this.load()
    },

    load() {
      if (!this.data.classId) {
        this.setData({ notice: kit.notice('找不到要报名的研修班', '请扫描承办单位提供的报名码') })
        return Promise.resolve(false)
      }
      return kit.run(
        this,
        async () => {
          const recruitment = await api.get(`/classes/${this.data.classId}/recruitment`)
          const levels = (await labels.load()).title_level
          this.setData({ recruitment, levels: Object.values(levels), levelValues: Object.keys(levels) })
          return true
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取招生信息' }
      )
    },

    input(event) {
      const field = event.currentTarget.dataset.field
      this.setData({ [`form.${field}`]: event.detail.value, [`errors.${field}`]: '' })
    },

    pick(event) {
      const field = event.currentTarget.dataset.field
      const error = { levelIndex: 'title_level', regionIndex: 'region' }[field]
      /** @type {Record<string, any>} */
      const changes = { [`form.${field}`]: Number(event.detail.value) }
      if (error) changes[`errors.${error}`] = ''
      this.setData(changes)
    },

    toggle(event) {
      const field = event.currentTarget.dataset.field
      this.setData({ [`form.${field}`]: Boolean(event.detail.value) })
    },

    async submit() {
      const form = this.data.form
      const errors = checkForm(form)
      if (Object.keys(errors).length) {
        this.setData({ errors, notice: kit.notice('请检查标红的内容', '') })
        return false
      }
      this.setData({ errors: {} })
      const hybrid = this.data.recruitment && this.data.recruitment.class.mode === 'hybrid'
      const answer = await kit.run(
        this,
        () => api.post(`/classes/${this.data.classId}/applications`, bodyOf(form, hybrid, this.data.levelValues)),
        {
          busyText: '正在提交…',
          title: '报名未成功',
          onError: (error) => {
            this.setData({ errors: fieldErrors(error) })
            return kit.errorNotice(error, [], '报名未成功')
          }
        }
      )
      if (!answer) return false
      this.setData({ result: answer, remindOffered: subscribe.offered(['application']).length > 0 })
      return true
    },

    // After applying, the natural moment to ask for the decision's message (a tap).
    async remind() {
      const accepted = await subscribe.ask(['application'])
      if (Object.keys(accepted).length) wx.showToast({ title: '已开启通知', icon: 'success' })
      return accepted
    },

    toApplications() {
      wx.redirectTo({ url: '/pages/applications/applications' })
    }
  }
})
