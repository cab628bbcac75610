// The satisfaction form (附件2) built from GET /classes/{id}/survey, and the response body
// of POST /classes/{id}/survey/responses built from the answers.
//
// Every item has a flat key (no dots, so this.setData can address it):
//   lecture_<session_id>, faculty_overall, teaching_<part>, service_<part>, satisfaction.

// The form as the page shows it: levels, then sections of items, in the words the server sends
// beside the keys (`labels` and `sections` of the survey answer).
function buildForm(survey) {
  const labels = survey.labels
  const titles = {}
  survey.sections.forEach((section) => {
    titles[section.key] = section.title
  })
  const levels = survey.levels.map((value) => ({ value, label: labels.levels[value] }))
  const faculty = survey.lectures.map((lecture) => ({
    key: `lecture_${lecture.session_id}`,
    label: lecture.topic,
    sub: `${labels.lectures.lecturer}：${lecture.lecturer}`
  }))
  faculty.push({ key: 'faculty_overall', label: labels.faculty_overall, sub: '' })
  const part = (prefix, names, named) => names.map((name) => ({ key: `${prefix}_${name}`, label: named[name], sub: '' }))
  const sections = [
    { title: titles.faculty, items: faculty },
    { title: titles.teaching, items: part('teaching', survey.teaching, labels.teaching) },
    { title: titles.service, items: part('service', survey.service, labels.service) },
    { title: titles.satisfaction, items: [{ key: 'satisfaction', label: labels.satisfaction, sub: '' }] }
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

module.exports = { buildForm, allItems, missingItems, responseBody }
