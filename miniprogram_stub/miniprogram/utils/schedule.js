// Sessions of GET /me/classes as the schedule shows them, with the trainee's own check-ins.

const format = require('./format.js')

// The check-in window opens this long before a session starts (docs/API.md's default; the class
// may set another, the server decides). Only used to say "可签到" on the schedule.
const OPENS_BEFORE_MS = 30 * 60 * 1000

// The mark of a session, in the server's words (`labels`: GET /labels) for my attendance.
function sessionMark(session, now, labels) {
  const checkin = session.checkin
  if (checkin) {
    // A late online check-in is "迟到": its mode is added, as the state does not say it.
    const online = checkin.mode === 'online' && checkin.state !== 'online' ? `（${checkin.mode_label}）` : ''
    const text = `${checkin.state_label} ${format.time(checkin.checked_in_at)}${online}`
    return { kind: checkin.late ? 'late' : 'ok', text }
  }
  const start = Date.parse(session.starts_at)
  const end = Date.parse(session.ends_at)
  if (now > end) return { kind: 'missed', text: labels.attendance_state.absent }
  if (now >= start - OPENS_BEFORE_MS) return { kind: 'open', text: '可签到' }
  return { kind: 'upcoming', text: '未开始' }
}

function sessionView(session, now, labels) {
  return {
    id: session.id,
    topic: session.topic,
    lecturer: session.lecturer ? session.lecturer.name : '',
    venue: session.venue || '',
    time: `${format.time(session.starts_at)}—${format.time(session.ends_at)}`,
    mark: sessionMark(session, now, labels)
  }
}

// Sessions grouped by day: [{ day: '5月6日 星期一', sessions: [...] }]
function scheduleDays(sessions, now, labels) {
  const days = []
  sessions.forEach((session) => {
    const label = `${format.day(session.starts_at)} ${format.weekday(session.starts_at)}`
    let group = days[days.length - 1]
    if (!group || group.day !== label) {
      group = { day: label, sessions: [] }
      days.push(group)
    }
    group.sessions.push(sessionView(session, now, labels))
  })
  return days
}

function classView(cls) {
  const attended = cls.sessions.filter((s) => s.checkin).length
  return {
    id: cls.id,
    title: cls.title,
    hostUnit: cls.host_unit,
    location: cls.location,
    dates: format.dateRange(cls.start_date, cls.end_date),
    online: cls.attendance_mode === 'online',
    attended,
    total: cls.sessions.length
  }
}

// A session to pick for a typed code: { id, classId, topic, label: "09:00 专题1" }.
function candidateOf(session, classId) {
  return { id: session.id, classId, topic: session.topic, label: `${format.time(session.starts_at)} ${session.topic}` }
}

// Whether a session's check-in window is open at `now` (ms).
function isOpen(session, now) {
  return now >= Date.parse(session.starts_at) - OPENS_BEFORE_MS && now <= Date.parse(session.ends_at)
}

// Sessions a typed code can be meant for: those whose window is open now, else today's;
// `wanted` (a session id) is added first when it is neither.
function codeCandidates(classes, now, wanted) {
  const all = []
  classes.forEach((cls) => cls.sessions.forEach((s) => all.push({ session: s, classId: cls.id })))
  const isToday = ({ session }) => format.day(session.starts_at) === todayLabel(now)
  const open = ({ session }) => isOpen(session, now)
  const chosen = all.some(open) ? all.filter(open) : all.filter(isToday)
  const extra = all.filter(({ session }) => session.id === wanted && !chosen.some((c) => c.session.id === wanted))
  return extra.concat(chosen).map(({ session, classId }) => candidateOf(session, classId))
}

// Today's date in China (UTC+8), as format.day would print it.
function todayLabel(now) {
  const china = new Date(now + 8 * 3600 * 1000)
  return `${china.getUTCMonth() + 1}月${china.getUTCDate()}日`
}

module.exports = { isOpen, sessionMark, sessionView, scheduleDays, classView, candidateOf, codeCandidates, OPENS_BEFORE_MS }
