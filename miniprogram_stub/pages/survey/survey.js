// The satisfaction form (附件2) of a class: a four-level choice per item, suggestions, and
// nothing sent until every item is answered.
const api = require('../../utils/api.js')
const surveyForm = require('../../utils/survey.js')

Page({
  data: {
    state: 'loading', // loading | form | closed | thanks | already | error
    classId: 0,
    classTitle: '',
    levels: [],
    sections: [],
    answers: {}, // item key → level
    missing: {}, // item key → true while unanswered after a try to send
    missingText: '', // the unanswered items, named
    suggestions: '',
    submitting: false,
    message: ''
  },

  onLoad(options) {
    this.setData({ classId: Number(options.class_id) })
    return this.load()
  },

  async load() {
    try {
      const survey = await api.get(`/classes/${this.data.classId}/survey`)
      this.survey = survey
      const form = surveyForm.buildForm(survey)
      let state = 'form'
      if (survey.answered) state = 'already'
      else if (!survey.open) state = 'closed'
      this.setData({ state, classTitle: survey.class_title || '', levels: form.levels, sections: form.sections, message: '' })
    } catch (error) {
      this.setData({ state: 'error', message: api.showError(error) })
    }
  },

  choose(event) {
    const key = event.currentTarget.dataset.key
    this.setData({ [`answers.${key}`]: event.detail.value, [`missing.${key}`]: false })
  },

  suggest(event) {
    this.setData({ suggestions: event.detail.value })
  },

  async submit() {
    if (this.data.submitting || this.data.state !== 'form') return false
    const form = { sections: this.data.sections }
    const missing = surveyForm.missingItems(form, this.data.answers)
    if (missing.length) {
      const marks = {}
      missing.forEach((item) => {
        marks[item.key] = true
      })
      this.setData({ missing: marks, missingText: missing.map((item) => item.fullLabel).join('、') })
      api.showError(`还有 ${missing.length} 项未评价，请完成标红的项目`)
      return false
    }
    this.setData({ submitting: true, missing: {}, missingText: '' })
    const body = surveyForm.responseBody(this.survey, this.data.answers, this.data.suggestions)
    try {
      // Safe to repeat (see utils/api.js): the server keeps one response per trainee.
      await api.request({ method: 'POST', path: `/classes/${this.data.classId}/survey/responses`, data: body, retry: true })
      this.setData({ state: 'thanks' })
      return true
    } catch (error) {
      if (error.code === 'already_submitted') {
        // After a repeat, the refusal is of our own first attempt, which did arrive.
        this.setData({ state: error.retried ? 'thanks' : 'already' })
        return error.retried
      }
      if (error.code === 'survey_closed') this.setData({ state: 'closed' })
      api.showError(error)
      return false
    } finally {
      this.setData({ submitting: false })
    }
  },

  back() {
    wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/classes/classes' }) })
  }
})
