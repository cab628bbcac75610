// A lecturer's own ratings (GET /me/ratings): per session, the trainees' answers by level.
// Rows with fewer than 3 answers come without counts so nobody can guess who rated what.
const api = require('../../utils/api.js')
const format = require('../../utils/format.js')
const kit = require('../../utils/page.js')
const labelsOf = require('../../utils/labels.js')

const HIDDEN_TEXT = '答卷少于3份，暂不显示'

// `levels`: the server's survey levels in order, { excellent: '优秀', ... }.
function rowView(row, levels) {
  const hidden = Boolean(row.hidden) || !row.rates
  return {
    key: `${row.class_id}-${row.session_id}`,
    classTitle: row.class_title || '',
    topic: row.topic,
    when: format.dayTime(row.starts_at),
    returned: row.returned,
    hidden,
    hiddenText: hidden ? HIDDEN_TEXT : '',
    levels: hidden
      ? []
      : Object.keys(levels).map((level) => ({
          level,
          label: levels[level],
          count: row.counts ? row.counts[level] : 0,
          rate: format.percent(row.rates[level])
        }))
  }
}

// The headline of GET /me/ratings/summary: sessions with fewer than 3 answers are left out,
// so with none counted yet there is no rate to show.
function summaryView(summary) {
  if (!summary) return null
  const rated = summary.sessions > 0 && summary.excellent_rate !== null
  return {
    rated,
    excellent: rated ? format.percent(summary.excellent_rate) : '',
    satisfied: rated ? format.percent(summary.satisfied_rate) : '',
    sessions: summary.sessions,
    returned: summary.returned,
    suggestions: (summary.suggestions || []).map((s, i) => ({ key: i, text: s.text, classTitle: s.class_title }))
  }
}

Component({
  data: {
    ...kit.DATA,
    loaded: false,
    summary: null,
    rows: []
  },

  methods: {
    ...kit.METHODS,
    ...kit.RELOAD,

    onShow() {
      if (!api.staffToken()) {
        wx.redirectTo({ url: '/pages/staff-login/staff-login' })
        return Promise.resolve()
      }
      return this.load()
    },

    load() {
      return kit.run(
        this,
        async () => {
          const [rows, summary, labels] = await Promise.all([
            api.get('/me/ratings', { auth: 'staff' }),
            // The headline is an extra: the rows stand without it.
            api.get('/me/ratings/summary', { auth: 'staff' }).catch(() => null),
            labelsOf.load()
          ])
          const levels = labels.survey.levels
          this.setData({ loaded: true, summary: summaryView(summary), rows: rows.map((row) => rowView(row, levels)) })
        },
        {
          busyText: '加载中…',
          title: '未能读取授课评价',
          // A staff 401: the log-in expired; the next step is to log in again.
          onError: (error) => kit.errorNotice(error, error.status === 401 ? ['toStaffLogin'] : ['retry'], '未能读取授课评价')
        }
      )
    },

    toStaffLogin() {
      wx.reLaunch({ url: '/pages/staff-login/staff-login' })
    },

    logout() {
      api.clearStaff()
      wx.reLaunch({ url: '/pages/staff-login/staff-login' })
    }
  }
})
