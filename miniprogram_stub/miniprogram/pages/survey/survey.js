// The satisfaction form (附件2) of a class: a four-level choice per item, suggestions, and
// nothing sent until every item is answered.
const api = require('../../utils/api.js')
const kit = require('../../utils/page.js')
const subscribe = require('../../utils/subscribe.js')
const surveyForm = require('../../utils/survey.js')

Component({
  data: {
    ...kit.DATA,
    state: 'loading', // loading | form | closed | thanks | already
    classId: 0,
    classTitle: '',
    survey: null, // GET /classes/{id}/survey as the server sent it
    levels: [],
    sections: [],
    answers: {}, // item key → level
    missing: {}, // item key → true while unanswered after a try to send
    suggestions: '',
    canRemind: false // the survey's reminder is on: offer it while the form waits
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onLoad(options) {
      this.setData({ classId: Number(options.class_id) })
      // loaded once both have answered: the survey, and whether its reminder is on
      const reminder = subscribe
        .prepare()
        .then(() => this.setData({ canRemind: subscribe.offered(['survey']).length > 0 }))
      return Promise.all([reminder, this.load()])
    },

    load() {
      return kit.run(
        this,
        async () => {
          const survey = await api.get(`/classes/${this.data.classId}/survey`)
          const form = surveyForm.buildForm(survey)
          let state = 'form'
          if (survey.answered) state = 'already'
          else if (!survey.open) state = 'closed'
          this.setData({ state, survey, classTitle: survey.class_title || '', levels: form.levels, sections: form.sections })
        },
        { busyText: '加载中…', actions: ['retry'], title: '未能读取评价表' }
      )
    },

    choose(event) {
      const key = event.currentTarget.dataset.key
      this.setData({ [`answers.${key}`]: event.detail.value, [`missing.${key}`]: false })
    },

    suggest(event) {
      this.setData({ suggestions: event.detail.value })
    },

    submit() {
      if (this.data.state !== 'form') return Promise.resolve(false)
      const missing = surveyForm.missingItems({ sections: this.data.sections }, this.data.answers)
      if (missing.length) {
        const marks = {}
        missing.forEach((item) => {
          marks[item.key] = true
        })
        const names = missing.map((item) => item.fullLabel).join('、')
        this.setData({ missing: marks, notice: kit.notice(`还有 ${missing.length} 项未评价`, `请完成标红的项目：${names}`) })
        return Promise.resolve(false)
      }
      this.setData({ missing: {} })
      const body = surveyForm.responseBody(this.data.survey, this.data.answers, this.data.suggestions)
      return kit.run(
        this,
        async () => {
          // Safe to repeat (see utils/api.js): the server keeps one response per trainee.
          await api.request({ method: 'POST', path: `/classes/${this.data.classId}/survey/responses`, data: body, retry: 'repeat' })
          this.setData({ state: 'thanks' })
          return true
        },
        {
          busyText: '正在提交…',
          title: '提交未成功',
          actions: [],
          onError: (error) => {
            // After a repeat, already_submitted is the refusal of our own first attempt, which did arrive.
            if (error.code === 'already_submitted') this.setData({ state: error.retried ? 'thanks' : 'already' })
            else if (error.code === 'survey_closed') this.setData({ state: 'closed' })
            else return undefined
            return null
          }
        }
      )
    },

    // 接收测评截止提醒 / 测评开放时提醒我 (a tap): one credit for the survey's reminders, which
    // go only to trainees who have not returned the form by then.
    async remindSurvey() {
      const accepted = await subscribe.ask(['survey'])
      if (accepted.survey) {
        this.setData({ canRemind: false })
        wx.showToast({ title: '已开启测评提醒', icon: 'none' })
      }
      return accepted
    },

    back() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/classes/classes' }) })
    }
  }
})
