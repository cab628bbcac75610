// The satisfaction form (附件2) built from GET /classes/{id}/survey, and the response body
// of POST /classes/{id}/survey/responses built from the answers.
//
// Every item has a flat key (no dots, so this.setData can address it):
//   lecture_<session_id>, faculty_overall, teaching_<part>, service_<part>, satisfaction.

const LEVEL_LABELS = { excellent: '优秀', good: '良好', fair: '一般', poor: '较差' }
const TEACHING_LABELS = { content: '教学内容', level: '教学水平', mode: '教学模式', overall: '综合评价' }
const SERVICE_LABELS = { organization: '组织管理', logistics: '后勤保障', service: '服务水平', overall: '综合评价' }
const SECTION_TITLES = { faculty: '师资评价', teaching: '教学评价', service: '服务管理评价', satisfaction: '学员满意度评价' }

// A label the server sent beside the key, else ours.
function labelOf(serverLabels, key, ours) {
  return (serverLabels && serverLabels[key]) || ours[key] || key
}

// The form as the page shows it: levels, then sections of items, with the labels the server
// sends beside the keys (ours when it sends none).
function buildForm(survey) {
  const labels = survey.labels || {}
  const titles = { ...SECTION_TITLES }
  ;(survey.sections || []).forEach((section) => {
    titles[section.key] = section.title
  })
  const levels = (survey.levels || Object.keys(LEVEL_LABELS)).map((value) => ({
    value,
    label: labelOf(labels.levels, value, LEVEL_LABELS)
  }))
  const lecturerLabel = (labels.lectures && labels.lectures.lecturer) || '授课人'
  const faculty = survey.lectures.map((lecture) => ({
    key: `lecture_${lecture.session_id}`,
    label: lecture.topic,
    sub: `${lecturerLabel}：${lecture.lecturer}`
  }))
  faculty.push({ key: 'faculty_overall', label: labels.faculty_overall || '综合评价', sub: '' })
  const part = (prefix, names, ours, serverLabels) =>
    names.map((name) => ({ key: `${prefix}_${name}`, label: labelOf(serverLabels, name, ours), sub: '' }))
  const sections = [
    { title: titles.faculty, items: faculty },
    { title: titles.teaching, items: part('teaching', survey.teaching, TEACHING_LABELS, labels.teaching) },
    { title: titles.service, items: part('service', survey.service, SERVICE_LABELS, labels.service) },
    { title: titles.satisfaction, items: [{ key: 'satisfaction', label: labels.satisfaction || '学员满意度评价', sub: '' }] }
  ]
  // "教学评价·综合评价": the name of an item outside its section, for the list of missing ones.
  sections.forEach((section) =>
    section.items.forEach((item) => {
      item.fullLabel = item.label === section.title ? item.label : `${section.title}·${item.label}`
    })
  )
  return { levels, sections }
}

function allItems(form) {
  return form.sections.reduce((items, section) => items.concat(section.items), [])
}

// The items still without an answer, in the order of the form.
function missingItems(form, answers) {
  return allItems(form).filter((item) => !answers[item.key])
}

function responseBody(survey, answers, suggestions) {
  const lectures = {}
  survey.lectures.forEach((lecture) => {
    lectures[String(lecture.session_id)] = answers[`lecture_${lecture.session_id}`]
  })
  const pick = (prefix, names) => {
    const out = {}
    names.forEach((name) => {
      out[name] = answers[`${prefix}_${name}`]
    })
    return out
  }
  return {
    lectures,
    faculty_overall: answers.faculty_overall,
    teaching: pick('teaching', survey.teaching),
    service: pick('service', survey.service),
    satisfaction: answers.satisfaction,
    suggestions: (suggestions || '').trim()
  }
}

module.exports = { LEVEL_LABELS, buildForm, allItems, missingItems, responseBody }
